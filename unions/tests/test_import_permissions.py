import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from unions.models import EnterpriseUnion
from unions.tests.factories import UserFactory, valid_credit_code
from unions.tests.import_files import ENTERPRISE_HEADERS, enterprise_row, upload, xlsx_bytes

pytestmark = pytest.mark.django_db

URLS = [
    reverse(f"admin:unions_{model}_{view}")
    for model in ("enterpriseunion", "cadre")
    for view in ("import", "import_template", "export")
]


def post_file(client):
    content = xlsx_bytes([ENTERPRISE_HEADERS, enterprise_row(valid_credit_code(1))])
    return client.post(reverse("admin:unions_enterpriseunion_import"), {"file": upload(content)})


@pytest.mark.parametrize("url", URLS)
def test_it_requires_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


@pytest.mark.parametrize("who", ["cadre", "town_leader", "district_leader"])
@pytest.mark.parametrize("url", URLS)
def test_cadres_and_leaders_cannot_reach_it(request, client, who, url):
    client.force_login(request.getfixturevalue(who).user)
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


@pytest.mark.parametrize("url", URLS)
def test_a_leader_with_staff_rights_by_mistake_is_refused(client, district_leader, url):
    user = district_leader.user
    user.is_staff = True
    user.save()
    user.user_permissions.set(Permission.objects.filter(content_type__app_label__in=["unions", "auth"]))
    client.force_login(user)
    assert client.get(url).status_code == 403


def test_a_leader_cannot_import_by_posting(client, district_leader, town):
    district_leader.user.is_staff = True
    district_leader.user.save()
    client.force_login(district_leader.user)
    assert post_file(client).status_code == 403
    assert not EnterpriseUnion.objects.exists()


def test_staff_without_the_permissions_is_refused(client, town):
    client.force_login(UserFactory(is_staff=True))
    assert client.get(reverse("admin:unions_enterpriseunion_import")).status_code == 403
    assert post_file(client).status_code == 403
    assert not EnterpriseUnion.objects.exists()


def test_staff_with_enterprise_rights_may_not_import_cadres(client):
    user = UserFactory(is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="unions"))
    client.force_login(user)
    assert client.get(reverse("admin:unions_enterpriseunion_import")).status_code == 200
    # Importing cadres creates logins, so it also needs the user permissions.
    assert client.get(reverse("admin:unions_cadre_import")).status_code == 403


@pytest.mark.parametrize("url", URLS)
def test_the_admin_reaches_every_page(client, admin_cadre, url):
    client.force_login(admin_cadre.user)
    assert client.get(url).status_code == 200


def test_the_changelist_links_to_import_and_export_for_the_admin_only(client, admin_cadre):
    url = reverse("admin:unions_enterpriseunion_changelist")
    client.force_login(admin_cadre.user)
    body = client.get(url).content.decode()
    assert "从 Excel 导入" in body and "导出（.xlsx）" in body
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.set(Permission.objects.filter(codename="view_enterpriseunion"))
    client.force_login(viewer)
    body = client.get(url).content.decode()
    assert "从 Excel 导入" not in body and "导出（.xlsx）" in body
