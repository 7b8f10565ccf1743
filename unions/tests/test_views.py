import pytest
from django.urls import reverse

from unions.tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


def test_login_page_is_in_chinese(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert "登录" in response.content.decode()


def test_login_page_switches_to_english(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Log in" in client.get(reverse("login")).content.decode()


def test_home_requires_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_user_logs_in_with_password(client, cadre):
    response = client.post(
        reverse("login"), {"username": cadre.user.username, "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200


@pytest.mark.parametrize(
    ("who", "expected"),
    [("cadre", "许文静"), ("town_leader", "高新区总工会"), ("admin_cadre", "/admin/unions/enterpriseunion/")],
)
def test_home_fits_the_role(request, client, who, expected):
    person = request.getfixturevalue(who)
    client.force_login(person.user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert expected in response.content.decode()


def test_user_without_cadre_profile_gets_an_explanation(client, django_user_model):
    user = django_user_model.objects.create_user("nobody", password="x" * 12)
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 403
    assert "干部" in response.content.decode()


def test_enterprise_list_hides_other_towns(client, town_leader, town, other_town):
    EnterpriseFactory(name="本镇企业有限公司", district_union=town)
    EnterpriseFactory(name="外镇企业有限公司", district_union=other_town)
    client.force_login(town_leader.user)
    body = client.get(reverse("unions:enterprise_list")).content.decode()
    assert "本镇企业" in body and "外镇企业" not in body


def test_enterprise_list_search(client, district_leader, town):
    EnterpriseFactory(name="五洋纺织机械有限公司", district_union=town)
    EnterpriseFactory(name="科能电子有限公司", district_union=town)
    client.force_login(district_leader.user)
    body = client.get(reverse("unions:enterprise_list"), {"q": "科能"}).content.decode()
    assert "科能电子" in body and "五洋纺织" not in body


def test_enterprise_list_query_count_is_constant(client, district_leader, town, django_assert_num_queries):
    EnterpriseFactory.create_batch(3, district_union=town)
    client.force_login(district_leader.user)
    url = reverse("unions:enterprise_list")
    client.get(url)  # warm the session
    # 8: the page's 5, the menu's counts (unread notices, review queue: 1) and the leader's scope ids (2)
    with django_assert_num_queries(8) as small:
        client.get(url)
    EnterpriseFactory.create_batch(20, district_union=town)
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(url)


def test_pages_use_only_local_static_files(client, cadre):
    client.force_login(cadre.user)
    body = client.get(reverse("home")).content.decode()
    assert "/static/bootstrap/css/bootstrap.min.css" in body
    assert "http://" not in body.replace("http://testserver", "") and "https://" not in body


def test_an_english_browser_still_gets_chinese_until_the_user_switches(client):
    english_browser = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}
    assert "登录" in client.get(reverse("login"), **english_browser).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"}, **english_browser)
    assert "Log in" in client.get(reverse("login"), **english_browser).content.decode()
