import pytest
from django.urls import reverse

from unions.models import DistrictUnion, EnterpriseUnion
from unions.tests.factories import CadreFactory, EnterpriseFactory

pytestmark = pytest.mark.django_db

ADMIN_PAGES = [
    "admin:index",
    "admin:unions_districtunion_changelist",
    "admin:unions_districtunion_add",
    "admin:unions_enterpriseunion_changelist",
    "admin:unions_enterpriseunion_add",
    "admin:unions_cadre_changelist",
    "admin:unions_cadre_add",
    "admin:auth_user_changelist",
    "admin:auth_user_add",
    "admin:outreach_visit_changelist",
    "admin:outreach_concern_changelist",
    "admin:outreach_categorytimelimit_changelist",
]


@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_admin_pages_load_for_the_admin(client, admin_cadre, town, name):
    EnterpriseFactory.create_batch(3, district_union=town)
    CadreFactory.create_batch(3, unit=town)
    client.force_login(admin_cadre.user)
    response = client.get(reverse(name))
    assert response.status_code == 200


def test_admin_is_in_chinese(client, admin_cadre):
    client.force_login(admin_cadre.user)
    response = client.get(reverse("admin:unions_enterpriseunion_add"))
    assert "统一社会信用代码" in response.content.decode()


def test_changelist_search_and_filters(client, admin_cadre, town, other_town):
    EnterpriseFactory(name="五洋纺织机械有限公司", district_union=town)
    EnterpriseFactory(name="科能电子有限公司", district_union=other_town, has_union=False, members=0)
    client.force_login(admin_cadre.user)
    url = reverse("admin:unions_enterpriseunion_changelist")
    assert "五洋纺织" in client.get(url, {"q": "五洋"}).content.decode()
    body = client.get(url, {"has_union__exact": "0"}).content.decode()
    assert "科能电子" in body and "五洋纺织" not in body


def test_cadre_sees_no_admin(client, cadre):
    client.force_login(cadre.user)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302


def _enterprise_post(town, **overrides):
    data = {
        "name": "常州新厂有限公司",
        "credit_code": "91350100M000100Y43",
        "district_union": town.pk,
        "employees": 100,
        "members": 80,
        "has_union": "on",
        "chair_name": "",
        "fulltime_cadre_name": "",
        "phone": "",
        "address": "",
        "is_active": "on",
    }
    data.update(overrides)
    return data


def test_admin_adds_a_valid_enterprise(client, admin_cadre, town):
    client.force_login(admin_cadre.user)
    response = client.post(reverse("admin:unions_enterpriseunion_add"), _enterprise_post(town))
    assert response.status_code == 302
    assert EnterpriseUnion.objects.get().credit_code == "91350100M000100Y43"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"credit_code": "91350100M000100Y44"}, "校验位"),
        ({"credit_code": "9135010"}, "18"),
        ({"members": 101}, "会员"),
    ],
)
def test_admin_rejects_bad_enterprise_with_chinese_message(client, admin_cadre, town, overrides, message):
    client.force_login(admin_cadre.user)
    response = client.post(reverse("admin:unions_enterpriseunion_add"), _enterprise_post(town, **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not EnterpriseUnion.objects.exists()


def test_admin_rejects_duplicate_credit_code(client, admin_cadre, town):
    EnterpriseFactory(district_union=town, credit_code="91350100M000100Y43")
    client.force_login(admin_cadre.user)
    response = client.post(reverse("admin:unions_enterpriseunion_add"), _enterprise_post(town))
    assert response.status_code == 200
    assert "已在名录中" in response.content.decode()
    assert EnterpriseUnion.objects.count() == 1


def test_admin_rejects_town_without_district_parent(client, admin_cadre, town):
    client.force_login(admin_cadre.user)
    url = reverse("admin:unions_districtunion_add")
    response = client.post(url, {"name": "孤镇", "code": "320412777", "level": "town", "parent": ""})
    assert response.status_code == 200
    assert "必须隶属" in response.content.decode()
    response = client.post(url, {"name": "村工会", "code": "320412778", "level": "town", "parent": town.pk})
    assert response.status_code == 200
    assert not DistrictUnion.objects.filter(name__in=["孤镇", "村工会"]).exists()


def test_admin_rejects_cycle(client, admin_cadre, district, town):
    client.force_login(admin_cadre.user)
    url = reverse("admin:unions_districtunion_change", args=[district.pk])
    response = client.post(
        url, {"name": district.name, "code": district.code, "level": "town", "parent": district.pk}
    )
    assert response.status_code == 200
    district.refresh_from_db()
    assert district.level == "district" and district.parent is None
