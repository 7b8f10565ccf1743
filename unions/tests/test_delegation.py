"""Delegated administration: a district's admin (staff, not a superuser) keeps the directory,
the logins and the year quotas of the district's subtree only; the superuser keeps everything."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from outreach.models import YearQuota
from unions.models import DistrictUnion
from unions.tests.factories import (
    CadreFactory,
    CityFactory,
    DistrictFactory,
    EnterpriseFactory,
    TownFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def city(district):
    city = CityFactory(name="常州市总工会", code="320400")
    district.parent = city
    district.save()
    return city


@pytest.fixture
def xinbei(city):
    return DistrictFactory(name="新北区总工会", code="320411", parent=city)


@pytest.fixture
def delegated(district):
    """The district's admin: staff with the directory's and the quotas' permissions, no superuser."""
    user = UserFactory(is_staff=True, is_superuser=False)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=["unions", "auth", "outreach"])
    )
    return CadreFactory(user=user, unit=district, role="admin")


def test_the_lists_show_only_the_own_subtree(client, delegated, town, xinbei):
    mine = EnterpriseFactory(district_union=town, name="常州本区机械有限公司")
    EnterpriseFactory(
        district_union=TownFactory(parent=xinbei, code="320411001000"), name="常州外区电子有限公司"
    )
    client.force_login(delegated.user)
    page = client.get(reverse("admin:unions_enterpriseunion_changelist")).content.decode()
    assert mine.name in page and "常州外区电子有限公司" not in page
    units = client.get(reverse("admin:unions_districtunion_changelist")).content.decode()
    assert town.name in units and "新北区总工会" not in units


def test_another_branchs_rows_do_not_exist_for_the_delegated_admin(client, delegated, xinbei):
    theirs = EnterpriseFactory(district_union=TownFactory(parent=xinbei, code="320411001000"))
    client.force_login(delegated.user)
    for url in (
        reverse("admin:unions_enterpriseunion_change", args=[theirs.pk]),
        reverse("admin:unions_districtunion_change", args=[xinbei.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and response.url == reverse("admin:index")


def test_a_unit_is_added_only_below_the_own_subtree(client, delegated, district, xinbei):
    client.force_login(delegated.user)
    url = reverse("admin:unions_districtunion_add")
    outside = client.post(
        url, {"name": "外区新镇", "code": "320411555000", "level": "town", "parent": xinbei.pk}
    )
    assert outside.status_code == 200
    top = client.post(url, {"name": "新市总工会", "code": "320500", "level": "city", "parent": ""})
    assert top.status_code == 200
    inside = client.post(
        url, {"name": "新镇总工会", "code": "320412555000", "level": "town", "parent": district.pk}
    )
    assert inside.status_code == 302
    assert list(
        DistrictUnion.objects.filter(name__in=["外区新镇", "新市总工会", "新镇总工会"]).values_list(
            "name", flat=True
        )
    ) == ["新镇总工会"]


def test_the_own_unit_stays_as_the_office_above_placed_it(client, delegated, district):
    client.force_login(delegated.user)
    url = reverse("admin:unions_districtunion_change", args=[district.pk])
    response = client.post(url, {"name": "改名", "code": district.code, "level": "district", "parent": ""})
    assert response.status_code == 403
    district.refresh_from_db()
    assert district.name == "武进区总工会"


def test_quotas_are_set_only_for_the_own_subtree(client, delegated, town, xinbei):
    mine = YearQuota.objects.create(unit=town, role="cadre", days=30)
    YearQuota.objects.create(unit=xinbei, role="cadre", days=24)
    client.force_login(delegated.user)
    page = client.get(reverse("admin:outreach_yearquota_changelist")).content.decode()
    assert str(mine) in page and "新北区总工会" not in page
    response = client.post(
        reverse("admin:outreach_yearquota_add"),
        {"unit": xinbei.pk, "role": "leader", "days": 20, "grassroots_weeks": 40},
    )
    assert response.status_code == 200
    assert not YearQuota.objects.filter(unit=xinbei, role="leader").exists()


def test_the_delegated_admin_cannot_make_anyone_a_superuser(client, delegated, cadre):
    client.force_login(delegated.user)
    response = client.get(reverse("admin:auth_user_change", args=[cadre.user.pk]))
    assert response.status_code == 200
    assert 'name="is_superuser"' not in response.content.decode()


def test_the_superuser_sees_every_branch(client, admin_cadre, town, xinbei):
    client.force_login(admin_cadre.user)
    units = client.get(reverse("admin:unions_districtunion_changelist")).content.decode()
    assert "新北区总工会" in units and town.name in units


def test_the_delegated_admin_exports_the_subtree_but_does_not_import(client, delegated, town, xinbei):
    EnterpriseFactory(district_union=town, name="常州本区机械有限公司")
    EnterpriseFactory(
        district_union=TownFactory(parent=xinbei, code="320411001000"), name="常州外区电子有限公司"
    )
    client.force_login(delegated.user)
    assert client.get(reverse("admin:unions_enterpriseunion_import")).status_code == 403
    export = client.get(reverse("admin:unions_enterpriseunion_export"), {"format": "csv"})
    assert export.status_code == 200
    text = export.content.decode("utf-8-sig", errors="replace")
    assert "常州本区机械有限公司" in text and "常州外区电子有限公司" not in text


def test_time_limits_and_weights_are_set_only_for_the_own_subtree(client, delegated, district, town, xinbei):
    from outreach.models import CategoryTimeLimit, EvaluationRule

    default = CategoryTimeLimit.objects.get(unit=None, category="wages")
    theirs = CategoryTimeLimit.objects.create(unit=xinbei, category="wages", working_days=9)
    mine = CategoryTimeLimit.objects.create(unit=town, category="wages", working_days=7)
    their_rule = EvaluationRule.objects.create(unit=xinbei, completion_weight=10)
    default_rule = EvaluationRule.current()
    client.force_login(delegated.user)
    page = client.get(reverse("admin:outreach_categorytimelimit_changelist")).content.decode()
    assert "高新区总工会" in page and "新北区总工会" not in page and "所有单位的默认设置" not in page
    # What applies to the own unit, and where it comes from.
    assert "武进区总工会 适用的设置" in page and "默认" in page
    for url in (
        reverse("admin:outreach_categorytimelimit_change", args=[theirs.pk]),
        reverse("admin:outreach_categorytimelimit_change", args=[default.pk]),
        reverse("admin:outreach_evaluationrule_change", args=[their_rule.pk]),
        reverse("admin:outreach_evaluationrule_change", args=[default_rule.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and response.url == reverse("admin:index")
    change = client.get(reverse("admin:outreach_categorytimelimit_change", args=[mine.pk])).content.decode()
    assert "删除本条后适用" in change and "默认" in change
    add = reverse("admin:outreach_categorytimelimit_add")
    for unit in ("", xinbei.pk):  # neither the default of every unit nor another branch
        response = client.post(add, {"unit": unit, "category": "dispute", "working_days": 2})
        assert response.status_code == 200
    assert not CategoryTimeLimit.objects.filter(category="dispute", working_days=2).exists()
    response = client.post(add, {"unit": district.pk, "category": "dispute", "working_days": 2})
    assert response.status_code == 302
    assert CategoryTimeLimit.objects.filter(unit=district, category="dispute", working_days=2).exists()
    rule = {"completion_weight": 60, "on_time_weight": 20, "satisfaction_weight": 20}
    assert client.post(reverse("admin:outreach_evaluationrule_add"), {"unit": "", **rule}).status_code == 200
    response = client.post(reverse("admin:outreach_evaluationrule_add"), {"unit": town.pk, **rule})
    assert response.status_code == 302
    assert EvaluationRule.objects.get(unit=town).completion_weight == 60
    default_rule.refresh_from_db()
    assert default_rule.completion_weight == 50


def test_the_superuser_sets_the_default_of_every_unit(client, admin_cadre):
    from outreach.models import EvaluationRule

    client.force_login(admin_cadre.user)
    rule = EvaluationRule.current()
    response = client.post(
        reverse("admin:outreach_evaluationrule_change", args=[rule.pk]),
        {"unit": "", "completion_weight": 40, "on_time_weight": 40, "satisfaction_weight": 20},
    )
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.completion_weight == 40 and rule.unit is None
    page = client.get(reverse("admin:outreach_evaluationrule_changelist")).content.decode()
    assert "所有单位的默认设置" in page
