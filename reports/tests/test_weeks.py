"""每周一天下基层: my month and the monthly report count the same weeks (lib.months.week_spans),
and the unit-level column counts the cadres who went down every week."""

import datetime

import pytest
from django.urls import reverse

from outreach.tests.factories import VisitFactory
from unions.tests.factories import CadreFactory, EnterpriseFactory

pytestmark = pytest.mark.django_db

D = datetime.date
NOVEMBER = "2026-11"  # starts on a Sunday, ends on a Monday


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: D(2026, 12, 15))


@pytest.fixture
def cadres(town):
    enterprise = EnterpriseFactory(district_union=town)
    days = {
        "every_week": [D(2026, 11, 3), D(2026, 11, 10), D(2026, 11, 17), D(2026, 11, 24)],
        # The 1st closes October's last week and the 30th opens December's first.
        "month_edges": [D(2026, 11, 1), D(2026, 11, 9), D(2026, 11, 16), D(2026, 11, 23), D(2026, 11, 30)],
        # Monday 26 October is in October, but its week's Thursday is 29 October: October's.
        "late_october": [D(2026, 10, 26), D(2026, 11, 12), D(2026, 11, 19), D(2026, 11, 26)],
    }
    made = {}
    for name, dates in days.items():
        cadre = CadreFactory(unit=town, name=name)
        for i, day in enumerate(dates):
            VisitFactory(
                cadre=cadre,
                date=day,
                kind=["chairman", "office", "worker"][i % 3],
                host_enterprise=enterprise,
            )
        made[name] = (cadre, dates)
    return made


def _thursdays_in_november(dates):
    thursdays = {d + datetime.timedelta(days=3 - d.weekday()) for d in dates}
    return {t for t in thursdays if (t.year, t.month) == (2026, 11)}


def test_my_month_and_the_report_agree_on_every_week(client, cadres, town_leader):
    client.force_login(town_leader.user)
    response = client.get(reverse("reports:monthly"), {"month": NOVEMBER})
    report = response.context["report"]
    rows = {row["id"]: row for row in report.completion["rows"]}
    weeks_in_november = 4  # Thursdays 5, 12, 19 and 26 November
    assert report.completion["weeks"] == weeks_in_november
    every_week = 0
    for cadre, dates in cadres.values():
        expected = len(_thursdays_in_november(dates))
        row = rows[cadre.pk]
        assert row["weeks"] == expected and row["weeks_total"] == weeks_in_november
        client.force_login(cadre.user)
        weeks = client.get(reverse("outreach:my_month"), {"month": NOVEMBER}).context["weeks"]
        assert sum(w["done"] for w in weeks) == expected
        assert all(w["done"] for w in weeks) == (row["weeks"] == row["weeks_total"])
        every_week += expected == weeks_in_november
    assert every_week == 1  # only the cadre with a day in each of the four weeks
    unit = next(u for u in report.completion["units"] if u["unit_id"] == cadres["every_week"][0].unit_id)
    assert unit["weekly"] == every_week


def test_the_column_says_what_it_counts(client, cadres, town_leader):
    client.force_login(town_leader.user)
    body = client.get(reverse("reports:monthly"), {"month": NOVEMBER}).content.decode()
    assert "每周都下基层的干部数" in body
    assert "本月 4 周中每周都至少下基层一天的干部人数" in body  # the header's tooltip
    assert "11-02 至 11-29" in body  # the weeks the month holds


def test_a_month_not_over_says_how_many_weeks_are_to_come(client, cadres, town_leader, monkeypatch):
    client.force_login(town_leader.user)
    assert (
        "data-weeks-ahead" not in client.get(reverse("reports:monthly"), {"month": NOVEMBER}).content.decode()
    )
    today = D(2026, 11, 10)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: today)
    body = client.get(reverse("reports:monthly"), {"month": NOVEMBER}).content.decode()
    mondays = [D(2026, 11, d) for d in (2, 9, 16, 23)]
    ahead = sum(1 for monday in mondays if monday > today)
    assert f"还有 {ahead} 周未到" in body
