"""The problem ledger (台账) from the problem list: its filters, the user's scope, by received
date, phones masked as on the page, formula-safe cells, a constant number of queries."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from outreach.tests.factories import ConcernFactory
from unions.tests.factories import CadreFactory, EnterpriseFactory

pytestmark = pytest.mark.django_db

URL = "reports:problem_ledger_xlsx"


def _rows(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(response.content)).active
    return [tuple(c.value for c in row) for row in ws.iter_rows()], ws


def _problem(owner, town, description, received_on, **extra):
    return ConcernFactory(
        owner=owner,
        enterprise=EnterpriseFactory(district_union=town),
        description=description,
        received_on=received_on,
        **extra,
    )


def test_a_town_leader_gets_the_towns_problems_filtered_by_received_date(
    login, town_leader, cadre, town, other_town
):
    _problem(cadre, town, "十一月底走访时受理", datetime.date(2026, 11, 30), category="wages")
    _problem(cadre, town, "十一月中旬受理", datetime.date(2026, 11, 12), category="wages")
    _problem(cadre, town, "十二月受理", datetime.date(2026, 12, 1), category="wages")
    _problem(cadre, town, "别的类别", datetime.date(2026, 11, 20), category="hardship")
    _problem(CadreFactory(unit=other_town), other_town, "别的镇的问题", datetime.date(2026, 11, 20))
    client = login(town_leader)
    rows, ws = _rows(client.get(reverse(URL), {"month": "2026-11", "category": "wages"}))
    assert rows[0][:3] == ("受理日期", "类别", "问题描述")
    assert [(r[0], r[2]) for r in rows[1:]] == [
        ("2026-11-12", "十一月中旬受理"),
        ("2026-11-30", "十一月底走访时受理"),
    ]
    descriptions = {r[2] for r in _rows(client.get(reverse(URL)))[0][1:]}
    assert "别的镇的问题" not in descriptions and len(descriptions) == 4


def test_the_problem_list_has_the_button_with_its_filters(login, town_leader):
    page = login(town_leader).get(reverse("outreach:concern_list"), {"category": "wages", "page": "2"})
    assert f'href="{reverse(URL)}?category=wages"' in page.content.decode()


def test_a_cadre_gets_only_own_problems_and_other_peoples_phones_masked(login, cadre, other_cadre, town):
    _problem(cadre, town, "我的问题", datetime.date(2026, 11, 3), worker_phone="13812345678")
    _problem(other_cadre, town, "同事的问题", datetime.date(2026, 11, 4))
    handed = _problem(
        other_cadre, town, "交出去的问题", datetime.date(2026, 11, 5), worker_phone="13900001111"
    )
    handed.received_by = cadre
    handed.save()
    rows, _ = _rows(login(cadre).get(reverse(URL)))
    by_text = {r[2]: r for r in rows[1:]}
    assert set(by_text) == {"我的问题", "交出去的问题"}
    assert by_text["我的问题"][7] == "13812345678"
    assert by_text["交出去的问题"][7] == "139****1111"


def test_formula_like_text_stays_text(login, cadre, town):
    _problem(cadre, town, '=HYPERLINK("http://x")', datetime.date(2026, 11, 3), worker_name="@SUM(1)")
    _, ws = _rows(login(cadre).get(reverse(URL)))
    assert ws["C2"].value == '=HYPERLINK("http://x")' and ws["C2"].data_type == "s"
    assert ws["G2"].value == "@SUM(1)" and ws["G2"].data_type == "s"


def test_a_bad_filter_is_a_400_with_the_reason(login, town_leader):
    response = login(town_leader).get(reverse(URL), {"month": "2026-13"})
    assert response.status_code == 400
    assert "2026-13" in response.content.decode() or response.context["message"]


def test_another_towns_owner_is_refused(login, town_leader, other_town):
    stranger = CadreFactory(unit=other_town)
    assert login(town_leader).get(reverse(URL), {"owner": stranger.pk}).status_code == 400


def test_the_query_count_does_not_grow_with_the_problems(
    login, town_leader, cadre, town, query_count, django_assert_num_queries
):
    for n in range(3):
        _problem(cadre, town, f"问题{n}", datetime.date(2026, 11, 3))
    client = login(town_leader)
    small = query_count(client, reverse(URL))
    for n in range(20):
        _problem(CadreFactory(unit=town), town, f"更多问题{n}", datetime.date(2026, 11, 4))
    with django_assert_num_queries(small):
        client.get(reverse(URL))
