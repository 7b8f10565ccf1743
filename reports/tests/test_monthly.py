"""The monthly report's sections, each compared with counts made here from the factory data."""

import datetime
import re
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lib.months import add_months, current_month, weeks_in_month
from outreach import figures
from outreach.models import Concern, EvaluationRule, Visit
from reports import cache as report_cache

pytestmark = pytest.mark.django_db

KINDS = ["chairman", "office", "worker"]


def get_report(client, leader, month, **params):
    client.force_login(leader.user)
    response = client.get(reverse("reports:monthly"), {"month": month, **params})
    assert response.status_code == 200
    return response, response.context["report"]


def scope_of(*units):
    """What a leader of these units may see: the ids of the towns and of their cadres."""
    from unions.models import Cadre

    ids = {u.pk for u in units}
    return ids, set(Cadre.objects.filter(unit_id__in=ids, is_active=True).values_list("pk", flat=True))


def weeks_gone_down(scenario, cadre_id) -> set:
    """The ISO weeks of the scenario month (the month holding the week's Thursday) in which
    the cadre has a done visit of his or her own, whatever the visit's own month."""
    weeks = set()
    for v in scenario.visits:
        thursday = v.date + datetime.timedelta(days=3 - v.date.weekday())
        if (
            v.cadre_id == cadre_id
            and not v.is_deleted
            and v.status in {"submitted", "reviewed"}
            and thursday.replace(day=1) == scenario.month
        ):
            weeks.add(thursday)
    return weeks


def test_completion_matrix_counts_each_cadres_done_days(
    client, scenario, town, town_leader, cadre, other_cadre
):
    response, report = get_report(client, town_leader, scenario.label)
    rows = {row["id"]: row for row in report.completion["rows"]}
    assert set(rows) == {cadre.pk, other_cadre.pk, town_leader.pk}  # not the other town's cadre
    for cadre_id, row in rows.items():
        mine = [v for v in scenario.done_in_month(cadre_ids={cadre_id})]
        for kind in KINDS:
            assert row[kind] == sum(1 for v in mine if v.kind == kind)
        assert row["weeks"] == len(weeks_gone_down(scenario, cadre_id))
        assert row["complete"] == ({v.kind for v in mine} == set(KINDS))
    assert rows[cadre.pk]["complete"]  # with the worker day on the month's last day
    assert rows[other_cadre.pk]["worker"] == 0  # draft and deleted worker days do not count
    assert not rows[other_cadre.pk]["complete"]
    body = response.content.decode()
    other_row = re.search(rf'<tr data-cadre="{other_cadre.pk}">(.*?)</tr>', body, re.S).group(1)
    assert 'data-missing="worker"' in other_row and 'data-missing="office"' not in other_row
    assert "周海" not in body


def test_completion_totals_per_town_and_for_the_district(
    client, scenario, district, town, other_town, district_leader, other_town_cadre
):
    _response, report = get_report(client, district_leader, scenario.label)
    towns, cadres = scope_of(district, town, other_town)
    by_cadre = {}
    for cadre_id in cadres:
        kinds = {v.kind for v in scenario.done_in_month(cadre_ids={cadre_id})}
        by_cadre[cadre_id] = kinds
    units = {u["unit_id"]: u for u in report.completion["units"]}
    from unions.models import Cadre

    for unit_id in (district.pk, town.pk, other_town.pk):
        members = list(Cadre.objects.filter(unit_id=unit_id).values_list("pk", flat=True))
        complete = sum(1 for c in members if by_cadre[c] == set(KINDS))
        assert units[unit_id]["cadres"] == len(members)
        assert units[unit_id]["complete"] == complete
        assert units[unit_id]["rate"] == pytest.approx(complete / len(members))
        for kind in KINDS:
            assert units[unit_id][kind] == sum(1 for c in members if kind in by_cadre[c])
    total = report.completion["total"]
    assert total["cadres"] == len(cadres)
    assert total["complete"] == sum(1 for kinds in by_cadre.values() if kinds == set(KINDS)) == 2
    assert report.completion["weeks"] == weeks_in_month(scenario.month)


def test_visits_per_kind_town_and_cadre(client, scenario, town, town_leader, cadre, other_cadre):
    _response, report = get_report(client, town_leader, scenario.label)
    towns, cadres = scope_of(town)
    done = scenario.done_in_month(town_ids=towns, cadre_ids=cadres)
    assert report.visits["total"] == len(done) == 5
    assert {k["kind"]: k["n"] for k in report.visits["by_kind"]} == {
        kind: sum(1 for v in done if v.kind == kind) for kind in KINDS
    }
    by_town = {row["town_id"]: row["total"] for row in report.visits["by_town"] if row["total"]}
    assert by_town == dict(Counter(v.town_id for v in done))
    by_cadre = {row["cadre_id"]: row["total"] for row in report.visits["by_cadre"]}
    assert by_cadre == dict(Counter(v.cadre_id for v in done))
    assert report.visits["enterprises"] == len({v.host_enterprise_id for v in done if v.host_enterprise_id})


def test_visits_of_the_other_town_count_only_for_the_district(client, scenario, district_leader, other_town):
    _response, report = get_report(client, district_leader, scenario.label)
    row = next(r for r in report.visits["by_town"] if r["town_id"] == other_town.pk)
    assert row["total"] == 3


def test_coverage_per_town_and_contact_enterprises_not_visited(client, scenario, town, town_leader, cadre):
    _response, report = get_report(client, town_leader, scenario.label)
    e1, e2, e3, _o1 = scenario.enterprises
    alive = [v for v in scenario.visits if not v.is_deleted and v.status in {"submitted", "reviewed"}]
    end = add_months(scenario.month, 1)

    def visited(enterprise, start):
        return any(v.host_enterprise_id == enterprise.pk and start <= v.date < end for v in alive)

    import datetime

    mine = [e1, e2, e3]  # the inactive enterprise is left out
    row = report.coverage["towns"][0]
    assert row["town_id"] == town.pk
    assert row["total"] == 3
    assert row["month"] == sum(visited(e, scenario.month) for e in mine)
    assert row["year"] == sum(visited(e, scenario.month.replace(month=1)) for e in mine)
    assert row["never"] == sum(not visited(e, datetime.date(2000, 1, 1)) for e in mine) == 1
    gaps = [(g["cadre_id"], g["enterpriseunion_id"], g["last"]) for g in report.coverage["gaps"]]
    assert gaps == [(cadre.pk, e3.pk, None)]  # e1 and e2 were visited, e3's only visit was deleted


def test_union_establishment_from_the_directory(client, scenario, town, district_leader):
    _response, report = get_report(client, district_leader, scenario.label)
    row = next(r for r in report.establishment["towns"] if r["town_id"] == town.pk)
    e1, e2, e3, o1 = scenario.enterprises
    mine = [e1, e2, e3]
    assert row["total"] == 3
    assert row["with_union"] == sum(e.has_union for e in mine) == 2
    assert row["with_office"] == sum(e.has_office for e in mine) == 1
    assert row["members"] == sum(e.members for e in mine)
    assert row["employees"] == sum(e.employees for e in mine)
    assert report.establishment["total"]["employees"] == sum(e.employees for e in scenario.enterprises)


def expected_problems(concerns, today):
    closed = [c for c in concerns if c.status == "closed"]
    beijing = timezone.get_default_timezone()
    on_time = [c for c in closed if c.closed_at.astimezone(beijing).date() <= c.due_date]
    overdue = [c for c in concerns if c.status in ("open", "in_progress") and c.due_date < today]
    rated = [c for c in closed if c.satisfaction]
    content = [c for c in rated if c.satisfaction in ("satisfied", "basically")]
    return {
        "raised": len(concerns),
        "resolved": sum(1 for c in concerns if c.status == "resolved"),
        "closed": len(closed),
        "on_time": len(on_time),
        "overdue": len(overdue),
        "content": len(content),
        "rated": len(rated),
    }


def test_problems_received_in_the_month(client, scenario, town, town_leader):
    from django.utils import timezone

    _response, report = get_report(client, town_leader, scenario.label)
    start, end = scenario.month, add_months(scenario.month, 1)
    mine = [
        c
        for c in scenario.concerns
        if not c.is_deleted and c.town_id == town.pk and start <= c.received_on < end
    ]
    expected = expected_problems(mine, timezone.localdate())
    total = report.problems["total"]
    assert {k: total[k] for k in expected} == expected
    assert expected == {
        "raised": 7, "resolved": 1, "closed": 4, "on_time": 3, "overdue": 1, "content": 2, "rated": 3
    }  # fmt: skip
    assert total["on_time_rate"] == pytest.approx(3 / (4 + 1))
    assert total["satisfaction_rate"] == pytest.approx(2 / 3)
    by_category = {r["category"]: r for r in report.problems["by_category"]}
    for category in Concern.Category.values:
        assert by_category[category]["raised"] == sum(1 for c in mine if c.category == category)
    assert report.problems["overdue_now"] == sum(
        1
        for c in scenario.concerns
        if not c.is_deleted
        and c.town_id == town.pk
        and c.status == "open"
        and c.due_date < timezone.localdate()
    )


def test_workers_affected_are_summed_per_category_and_town(client, scenario, district_leader, town):
    _response, report = get_report(client, district_leader, scenario.label)
    start, end = scenario.month, add_months(scenario.month, 1)
    received = [c for c in scenario.concerns if not c.is_deleted and start <= c.received_on < end]
    by_category = {r["category"]: r["workers"] for r in report.problems["by_category"]}
    assert by_category == {
        category: sum(c.workers_affected for c in received if c.category == category)
        for category in Concern.Category.values
    }
    by_town = {r["town_id"]: r["workers"] for r in report.problems["by_town"]}
    assert by_town[town.pk] == sum(c.workers_affected for c in received if c.town_id == town.pk)
    assert report.problems["total"]["workers"] == sum(c.workers_affected for c in received)


def test_a_day_in_both_halves_of_the_area_counts_once(
    client, town, other_town, town_leader, cadre, other_town_cadre
):
    # The area is what is hosted in its towns or written by its cadres (the two halves the
    # enterprises visited and 民情民意 read apart): each day and enterprise once.
    from outreach.tests.factories import VisitFactory
    from unions.tests.factories import EnterpriseFactory

    here, there = EnterpriseFactory(district_union=town), EnterpriseFactory(district_union=other_town)
    first = datetime.date(2026, 10, 1)
    away = VisitFactory(cadre=cadre, date=first + datetime.timedelta(days=2), host_enterprise=there)
    both = VisitFactory(cadre=cadre, date=first + datetime.timedelta(days=4), host_enterprise=here)
    visitor = VisitFactory(
        cadre=other_town_cadre, date=first + datetime.timedelta(days=4), host_enterprise=here
    )
    VisitFactory(cadre=other_town_cadre, date=first + datetime.timedelta(days=6), host_enterprise=there)
    _response, report = get_report(client, town_leader, "2026-10")
    assert report.visits["total"] == 3
    assert report.visits["enterprises"] == 2
    assert [v.pk for v in report.opinions["visits"]] == [away.pk, *sorted([both.pk, visitor.pk])]


def test_opinions_digest_lists_the_months_suggestions_and_opinions(client, scenario, town_leader):
    response, report = get_report(client, town_leader, scenario.label)
    towns, cadres = scope_of(town_leader.unit)
    expected = [
        v.pk
        for v in scenario.done_in_month(town_ids=towns, cadre_ids=cadres)
        if v.suggestions or v.worker_opinions
    ]
    assert sorted(v.pk for v in report.opinions["visits"]) == sorted(expected)
    body = response.content.decode()
    assert "建议出台职工技能补贴政策" in body and "外镇建议" not in body


def test_evaluation_follows_the_rule_weights(client, scenario, town_leader, cadre, other_cadre):
    EvaluationRule.objects.update_or_create(
        pk=1, defaults={"completion_weight": 60, "on_time_weight": 30, "satisfaction_weight": 10}
    )
    response, report = get_report(client, town_leader, scenario.label)
    from django.utils import timezone

    today = timezone.localdate()
    scores = {row["id"]: row["score"] for row in report.evaluation["cadres"]}
    start, end = scenario.month, add_months(scenario.month, 1)
    for person in (cadre, other_cadre, town_leader):
        kinds = {v.kind for v in scenario.done_in_month(cadre_ids={person.pk})}
        owned = [
            c
            for c in scenario.concerns
            if not c.is_deleted and c.owner_id == person.pk and start <= c.received_on < end
        ]
        p = expected_problems(owned, today)
        parts = [(len(kinds) / 3, 60)]
        if p["closed"] + p["overdue"]:
            parts.append((p["on_time"] / (p["closed"] + p["overdue"]), 30))
        if p["rated"]:
            parts.append((p["content"] / p["rated"], 10))
        expected = 100 * sum(x * w for x, w in parts) / sum(w for _x, w in parts)
        assert scores[person.pk] == pytest.approx(expected)
    unit_score = report.evaluation["towns"][0]["score"]
    assert unit_score == pytest.approx(sum(scores.values()) / 3)
    assert "60" in re.search(r"<div[^>]*data-rule>(.*?)</div>", response.content.decode(), re.S).group(1)


def test_trend_counts_twelve_months(client, scenario, town_leader):
    _response, report = get_report(client, town_leader, scenario.label)
    months = report.trend["months"]
    assert len(months) == 12 and months[-1]["month"] == scenario.month
    towns, cadres = scope_of(town_leader.unit)
    alive = [
        v
        for v in scenario.visits
        if not v.is_deleted
        and v.status in {"submitted", "reviewed"}
        and (v.town_id in towns or v.cadre_id in cadres)
    ]
    for row in months:
        in_month = [
            v for v in alive if (v.date.year, v.date.month) == (row["month"].year, row["month"].month)
        ]
        assert row["total"] == len(in_month)
    assert months[-1]["complete"] == 1
    assert months[-1]["rate"] == pytest.approx(1 / 3)


def test_empty_month_is_explained(client, scenario, town_leader):
    response, report = get_report(client, town_leader, "2001-01")
    assert report.is_empty
    body = response.content.decode()
    assert 'role="status"' in body
    assert report.completion["total"]["cadres"] == 3 and report.completion["total"]["complete"] == 0


def test_malformed_month_falls_back_to_this_month_with_a_message(client, town_leader):
    client.force_login(town_leader.user)
    for bad in ("2026-13", "abc", "2026-1-1", "99999-01", "<script>"):
        response = client.get(reverse("reports:monthly"), {"month": bad})
        assert response.status_code == 200
        assert response.context["month"] == current_month()
        assert response.context["month_error"]
        assert "<script>" not in response.content.decode()


def test_default_month_and_unit(client, town_leader, town):
    client.force_login(town_leader.user)
    response = client.get(reverse("reports:monthly"))
    assert response.context["month"] == current_month()
    assert response.context["unit"] == town


def _bulk_visits(cadres, enterprises, month, n):
    visits = [
        Visit(
            kind=KINDS[i % 3],
            date=month.replace(day=1 + i % 28),
            cadre=cadres[i % len(cadres)],
            host_enterprise=enterprises[i % len(enterprises)],
            town_id=enterprises[i % len(enterprises)].district_union_id,
            status="submitted",
            work_done="走访",
            worker_opinions="意见" if i % 10 == 0 else "",
        )
        for i in range(n)
    ]
    Visit.objects.bulk_create(visits, batch_size=2000)


def test_query_count_is_the_same_at_100_and_10000_visits(
    client, scenario, town, other_town, district_leader, django_assert_num_queries
):
    from unions.models import Cadre, EnterpriseUnion

    EvaluationRule.current()
    cadres = list(Cadre.objects.all())
    enterprises = list(EnterpriseUnion.objects.filter(is_active=True))
    client.force_login(district_leader.user)
    url = reverse("reports:monthly")
    params = {"month": scenario.label}
    client.get(url, params)  # warm the session
    _bulk_visits(cadres, enterprises, scenario.month, 100)
    # bulk_create sends no signal (the app's bulk writes are POSTs): count the figures anew.
    figures.rebuild()
    report_cache.invalidate()
    with CaptureQueriesContext(connection) as small:
        client.get(url, params)
    _bulk_visits(cadres, enterprises, scenario.month, 9_900)
    figures.rebuild()
    report_cache.invalidate()
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(url, params)
    assert response.context["report"].visits["total"] >= 10_000
    # The themes of 民情民意 add two, its visits ids first one more.
    assert len(small.captured_queries) <= 28


@pytest.mark.parametrize("who", ["town_leader", "district_leader"])
def test_the_report_scope_is_what_the_leader_may_open(request, scenario, who):
    from reports.queries import Scope, scope_units

    leader = request.getfixturevalue(who)
    scope = Scope.of(scope_units(leader.unit))
    visits = set(Visit.objects.alive().in_units(*scope.ids))
    assert visits and visits == set(Visit.objects.visible_to(leader))
    concerns = set(Concern.objects.alive().in_units(*scope.ids))
    assert concerns and concerns == set(Concern.objects.visible_to(leader))


def test_trend_page_lists_twelve_months_with_a_chart(client, scenario, town_leader):
    client.force_login(town_leader.user)
    response = client.get(reverse("reports:trend"), {"month": scenario.label})
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count("<tr data-month=") == 12
    assert "<svg" in body and "<script>" not in body
    row = re.search(rf'<tr data-month="{scenario.label}">(.*?)</tr>', body, re.S).group(1)
    towns, cadres = scope_of(town_leader.unit)
    assert f'<td class="text-end">{len(scenario.done_in_month(town_ids=towns, cadre_ids=cadres))}</td>' in row


def test_print_view_shows_every_section_open_without_the_form(client, scenario, town_leader):
    client.force_login(town_leader.user)
    response = client.get(reverse("reports:monthly_print"), {"month": scenario.label})
    assert response.status_code == 200
    body = response.content.decode()
    assert "data-print" in body and "js/reports.js" in body
    assert 'name="month"' not in body
    assert "<details>" not in body  # every collapsible part is printed open
    for section in (
        "completion",
        "visits",
        "coverage",
        "establishment",
        "problems",
        "opinions",
        "evaluation",
        "trend",
    ):
        assert f'id="{section}"' in body


def test_a_large_area_lists_its_units_not_each_cadre(
    client, monkeypatch, scenario, district, town, district_leader, town_leader, cadre
):
    """Above EACH_CADRE_SHOWN cadres a district's report gives each unit's row (opening that
    unit's report) and the cadre list, not a row per cadre; the town's report still lists
    each cadre, and the figures are the same."""
    from reports import report as report_module

    _response, small = get_report(client, district_leader, scenario.label)
    assert small.each_cadre and f'data-cadre="{cadre.pk}"' in _response.content.decode()
    monkeypatch.setattr(report_module, "EACH_CADRE_SHOWN", 1)
    report_cache.invalidate()
    response, report = get_report(client, district_leader, scenario.label)
    body = response.content.decode()
    assert not report.each_cadre and report.cadres == small.cadres > 1
    assert "data-each-cadre-hidden" in body
    assert f"本辖区有 {report.cadres} 名干部" in body
    for marker in ("data-cadre=", "data-plan-cadre=", "data-by-cadre=", "data-eval-cadre="):
        assert marker not in body
    assert f"?month={scenario.label}&amp;unit={town.pk}" in body
    assert reverse("reports:cadres") in body
    assert report.completion["total"] == small.completion["total"]
    assert report.plans["total"] == small.plans["total"]

    _response, own_town = get_report(client, town_leader, scenario.label)
    assert own_town.each_cadre and f'data-cadre="{cadre.pk}"' in _response.content.decode()


def test_the_page_lists_the_first_contact_gaps_and_says_how_many(client, monkeypatch, scenario, town_leader):
    """A province has tens of thousands of contact enterprises gone three months unvisited: the
    page lists the first GAPS_SHOWN and their number, the workbook every one."""
    from reports import report as report_module
    from reports.report import build_monthly_report
    from unions.models import Cadre

    e1, e2, e3, _o1 = scenario.enterprises
    for other in Cadre.objects.filter(unit=town_leader.unit).exclude(contact_enterprises=e3):
        other.contact_enterprises.add(e3)
    every = build_monthly_report(town_leader.unit, scenario.month, timezone.localdate())
    assert every.coverage["gaps_total"] == len(every.coverage["gaps"]) >= 2

    monkeypatch.setattr(report_module, "GAPS_SHOWN", 1)
    report_cache.invalidate()
    response, report = get_report(client, town_leader, scenario.label)
    assert report.coverage["gaps"] == every.coverage["gaps"][:1]  # the same order
    assert report.coverage["gaps_total"] == every.coverage["gaps_total"]
    body = response.content.decode()
    assert body.count("data-gap=") == 1
    assert f"此处仅显示 {every.coverage['gaps_total']} 条中的前 1 条" in body

    monkeypatch.setattr(report_module, "GAPS_SHOWN", 100)
    report_cache.invalidate()
    response, _report = get_report(client, town_leader, scenario.label)
    assert "data-gaps-more" not in response.content.decode()


def test_the_page_lists_the_first_opinions_and_the_workbook_more(client, monkeypatch, scenario, town_leader):
    """A district's month holds thousands of opinions at a province's scale: the page lists the
    first OPINIONS_SHOWN (by date, as the workbook) and says where the others are."""
    from reports import report as report_module
    from reports.report import build_monthly_report

    every = build_monthly_report(town_leader.unit, scenario.month, timezone.localdate())
    listed = [v.pk for v in every.opinions["visits"]]
    assert len(listed) >= 2 and not every.opinions["more"]

    monkeypatch.setattr(report_module, "OPINIONS_SHOWN", 1)
    report_cache.invalidate()
    response, report = get_report(client, town_leader, scenario.label)
    assert [v.pk for v in report.opinions["visits"]] == listed[:1]
    body = response.content.decode()
    assert len(re.findall(r'data-opinion="\d+"', body)) == 1
    assert "此处仅显示前 1 条；Excel 文件中最多列出 200 条" in body

    workbook = build_monthly_report(town_leader.unit, scenario.month, timezone.localdate())
    assert [v.pk for v in workbook.opinions["visits"]] == listed  # the workbook and the API: all of them

    monkeypatch.setattr(report_module, "OPINIONS_SHOWN", 100)
    report_cache.invalidate()
    response, _report = get_report(client, town_leader, scenario.label)
    assert "data-opinions-more" not in response.content.decode()
