"""限时办结 per unit: a time limit set at a district applies to its towns unless a town sets its
own; without either the default row applies. The problem page says where the limit comes from."""

import datetime

import pytest
from django.urls import reverse

from outreach.models import CategoryTimeLimit, Concern
from outreach.services import concern_create, concern_deadlines_recompute
from unions.tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db
D = datetime.date
MONDAY = D(2026, 11, 2)  # an ordinary week: no holiday until New Year


@pytest.fixture(autouse=True)
def default_limit():
    CategoryTimeLimit.objects.filter(unit=None, category="wages").update(working_days=3)


def _record(cadre, town):
    return concern_create(
        received_by=cadre,
        category="wages",
        description="职工反映工资拖欠。",
        enterprise=EnterpriseFactory(district_union=town),
        received_on=MONDAY,
    )


def test_without_any_unit_setting_the_default_applies(login, cadre, town):
    concern = _record(cadre, town)
    assert concern.due_date == D(2026, 11, 5)  # three working days
    page = login(cadre).get(reverse("outreach:concern_detail", args=[concern.pk])).content.decode()
    assert "本类别办结时限：3 个工作日（默认）" in page


def test_a_district_setting_applies_to_its_towns(login, cadre, town, other_town, district):
    CategoryTimeLimit.objects.create(unit=district, category="wages", working_days=7)
    concern = _record(cadre, town)
    assert concern.due_date == D(2026, 11, 11)
    assert _record(cadre, other_town).due_date == D(2026, 11, 11)
    page = login(cadre).get(reverse("outreach:concern_detail", args=[concern.pk])).content.decode()
    assert "本类别办结时限：7 个工作日（来自 武进区总工会）" in page


def test_a_town_setting_overrides_the_districts_for_that_town_only(login, cadre, town, other_town, district):
    CategoryTimeLimit.objects.create(unit=district, category="wages", working_days=7)
    CategoryTimeLimit.objects.create(unit=town, category="wages", working_days=10)
    concern = _record(cadre, town)
    assert concern.due_date == D(2026, 11, 16)
    assert _record(cadre, other_town).due_date == D(2026, 11, 11)  # the district's
    page = login(cadre).get(reverse("outreach:concern_detail", args=[concern.pk])).content.decode()
    assert "本类别办结时限：10 个工作日（来自 高新区总工会）" in page


def test_another_category_keeps_the_default(cadre, town, district):
    CategoryTimeLimit.objects.create(unit=district, category="wages", working_days=7)
    concern = concern_create(
        received_by=cadre, category="dispute", description="劳动纠纷", received_on=MONDAY
    )
    default = CategoryTimeLimit.objects.get(unit=None, category="dispute").working_days
    assert concern.due_date == D(2026, 11, 2 + default + (2 if default > 4 else 0))


def test_recomputing_deadlines_follows_each_towns_limit(cadre, town, other_town, district):
    here, there = _record(cadre, town), _record(cadre, other_town)
    CategoryTimeLimit.objects.create(unit=town, category="wages", working_days=10)
    moves = concern_deadlines_recompute()
    assert [(m.concern.pk, m.new) for m in moves] == [(here.pk, D(2026, 11, 16))]
    assert Concern.objects.get(pk=there.pk).due_date == D(2026, 11, 5)


def test_one_unit_has_one_limit_per_category(district):
    from django.core.exceptions import ValidationError

    CategoryTimeLimit.objects.create(unit=district, category="wages", working_days=7)
    with pytest.raises(ValidationError):
        CategoryTimeLimit(unit=district, category="wages", working_days=8).full_clean()
    with pytest.raises(ValidationError):  # the default row exists already
        CategoryTimeLimit(unit=None, category="wages", working_days=8).full_clean()


def test_the_problem_page_asks_no_more_with_settings_at_every_level(
    login, cadre, town, district, query_count
):
    concern = _record(cadre, town)
    url = reverse("outreach:concern_detail", args=[concern.pk])
    client = login(cadre)
    client.get(url)
    none = query_count(client, url)
    CategoryTimeLimit.objects.create(unit=district, category="wages", working_days=7)
    CategoryTimeLimit.objects.create(unit=town, category="wages", working_days=10)
    assert query_count(client, url) == none
