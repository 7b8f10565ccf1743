"""The Excel exports: the monthly workbook and the visit ledger."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from outreach.tests.factories import VisitFactory

pytestmark = pytest.mark.django_db


def workbook(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(response.content))


def row_starting(ws, label):
    for row in ws.iter_rows(values_only=True):
        if row and row[0] == label:
            return row
    raise AssertionError(f"no row {label!r} in {ws.title}")


def test_monthly_workbook_has_one_sheet_per_section_with_the_pages_totals(client, scenario, district_leader):
    client.force_login(district_leader.user)
    params = {"month": scenario.label}
    report = client.get(reverse("reports:monthly"), params).context["report"]
    wb = workbook(client.get(reverse("reports:monthly_xlsx"), params))
    assert wb.sheetnames == [
        "完成情况",
        "走访统计",
        "覆盖情况",
        "企业工会情况",
        "诉求办理",
        "民情民意",
        "效能考评",
        "走访趋势",
    ]
    completion = row_starting(wb["完成情况"], "合计")
    assert completion[1] == report.completion["total"]["cadres"]
    assert completion[6] == report.completion["total"]["complete"] == 2
    assert completion[7] == pytest.approx(report.completion["total"]["rate"])
    visits = row_starting(wb["走访统计"], "合计")
    assert visits[1:5] == (*[k["n"] for k in report.visits["by_kind"]], report.visits["total"])
    coverage = row_starting(wb["覆盖情况"], "合计")
    assert coverage[1:5] == tuple(report.coverage["total"][k] for k in ("total", "month", "year", "never"))
    establishment = row_starting(wb["企业工会情况"], "合计")
    assert establishment[1] == report.establishment["total"]["total"]
    assert establishment[7] == report.establishment["total"]["employees"]
    problems = row_starting(wb["诉求办理"], "合计")
    assert problems[1:7] == tuple(
        report.problems["total"][k] for k in ("raised", "workers", "resolved", "closed", "on_time", "overdue")
    )
    assert problems[2] == sum(  # workers affected, summed from the problems themselves
        c.workers_affected
        for c in scenario.concerns
        if not c.is_deleted and scenario.month <= c.received_on <= scenario.end
    )
    assert problems[7] == pytest.approx(report.problems["total"]["on_time_rate"])
    assert row_starting(wb["效能考评"], "合计")[2] == pytest.approx(report.evaluation["score"])
    assert wb["完成情况"]["A1"].value == "单位"
    assert wb["完成情况"].column_dimensions["A"].width >= 10


def test_monthly_workbook_neutralises_formulas(client, scenario, town_leader):
    client.force_login(town_leader.user)
    wb = workbook(client.get(reverse("reports:monthly_xlsx"), {"month": scenario.label}))
    opinions = [row[3] for row in wb["民情民意"].iter_rows(min_row=2, values_only=True)]
    # Shown as the text the worker's words were, but stored as text, never as a formula.
    assert '=HYPERLINK("x")' in opinions
    assert all(cell.data_type != "f" for row in wb["民情民意"].iter_rows() for cell in row)


def test_monthly_workbook_rejects_a_malformed_month(client, town_leader):
    client.force_login(town_leader.user)
    response = client.get(reverse("reports:monthly_xlsx"), {"month": "2026-13"})
    assert response.status_code == 400
    assert "2026-13" in response.content.decode()


def test_ledger_exports_the_visits_the_user_may_see_filtered(client, scenario, town_leader, cadre):
    client.force_login(town_leader.user)
    wb = workbook(
        client.get(reverse("reports:visit_ledger_xlsx"), {"month": scenario.label, "kind": "office"})
    )
    ws = wb.active
    assert ws["A1"].value == "日期" and ws["C1"].value == "工会干部"
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    expected = [
        v for v in scenario.visits
        if not v.is_deleted and v.kind == "office" and v.town_id == town_leader.unit_id
        and scenario.month <= v.date <= scenario.end
    ]  # fmt: skip
    assert len(rows) == len(expected) == 2
    assert {r[2] for r in rows} == {"许文静", "王强"}


def test_ledger_of_a_plain_cadre_has_only_own_visits(client, scenario, cadre):
    client.force_login(cadre.user)
    rows = list(
        workbook(client.get(reverse("reports:visit_ledger_xlsx"))).active.iter_rows(
            min_row=2, values_only=True
        )
    )
    assert rows and {r[2] for r in rows} == {"许文静"}
    assert len(rows) == sum(1 for v in scenario.visits if v.cadre_id == cadre.pk and not v.is_deleted)


def test_ledger_neutralises_formulas_and_lists_companions(client, cadre, other_cadre):
    VisitFactory(cadre=cadre, companions=[other_cadre], work_done="@SUM(1,2)", worker_opinions="-1+2")
    client.force_login(cadre.user)
    cells = list(workbook(client.get(reverse("reports:visit_ledger_xlsx"))).active.iter_rows(min_row=2))[0]
    assert cells[3].value == "王强"
    assert (cells[9].value, cells[11].value) == ("@SUM(1,2)", "-1+2")
    assert cells[9].data_type == cells[11].data_type == "s"


def test_ledger_rejects_a_malformed_month(client, cadre):
    client.force_login(cadre.user)
    assert client.get(reverse("reports:visit_ledger_xlsx"), {"month": "13/2026"}).status_code == 400


def test_ledger_query_count_is_constant(client, cadre, other_cadre, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    VisitFactory.create_batch(3, cadre=cadre, companions=[other_cadre])
    client.force_login(cadre.user)
    url = reverse("reports:visit_ledger_xlsx")
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    VisitFactory.create_batch(20, cadre=cadre, companions=[other_cadre])
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(url)


def test_the_visit_list_has_the_ledger_button_with_its_filters(client, cadre):
    client.force_login(cadre.user)
    page = client.get(reverse("outreach:visit_list"), {"kind": "office", "month": "2026-11", "page": "3"})
    assert (
        f'href="{reverse("reports:visit_ledger_xlsx")}?kind=office&amp;month=2026-11"'
        in page.content.decode()
    )
