"""The directory import of units (name, level, division code, parent): rows are checked as the
unit form checks them, previewed, then written in one transaction; export → import changes nothing."""

import pytest
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from unions.ledger.format import UNIT_COLUMNS
from unions.ledger.plan import plan_units
from unions.ledger.read import Table
from unions.models import DistrictUnion
from unions.tests.import_files import csv_bytes, upload, xlsx_bytes

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("admin:unions_districtunion_import")
EXPORT_URL = reverse("admin:unions_districtunion_export")
HEADERS = ["单位名称", "层级", "行政区划代码", "上级单位"]
CITY_ROWS = [
    ["常州市总工会", "市", "320400", ""],
    ["武进区总工会", "区县", "320412", "常州市总工会"],  # the district moves below the new city
    ["新北区总工会", "区县", "320411", "320400"],
    ["罗溪镇总工会", "镇", "320411100000", "新北区总工会"],
]


@pytest.fixture
def admin_client(login, admin_cadre, town, other_town):
    return login(admin_cadre)


def preview(client, rows, name="单位.xlsx"):
    content = xlsx_bytes([HEADERS, *rows]) if name.endswith(".xlsx") else csv_bytes([HEADERS, *rows])
    return client.post(IMPORT_URL, {"file": upload(content, name)})


def confirm(client, response):
    return client.post(IMPORT_URL, {"stash": response.context["stash"]})


def tree():
    return [
        (u.name, u.level, u.code, u.parent.name if u.parent_id else "")
        for u in DistrictUnion.objects.select_related("parent").order_by("path")
    ]


def errors(response):
    return [(e.row, e.column, e.message) for e in response.context["plan"].errors]


def test_new_units_are_previewed_then_created_and_a_moved_unit_takes_its_subtree(
    admin_client, district, town
):
    response = preview(admin_client, CITY_ROWS)
    plan = response.context["plan"]
    assert errors(response) == []
    assert [c.label for c in plan.added] == [
        "常州市总工会（320400）",
        "新北区总工会（320411）",
        "罗溪镇总工会（320411100000）",
    ]
    assert [(c.label, c.fields) for c in plan.updated] == [("武进区总工会（320412）", ["上级单位"])]
    page = response.content.decode()
    assert "罗溪镇总工会" in page
    assert not DistrictUnion.objects.filter(name="常州市总工会").exists()  # nothing written yet
    assert confirm(admin_client, response).status_code == 302
    city = DistrictUnion.objects.get(code="320400")
    district.refresh_from_db()
    town.refresh_from_db()
    assert district.parent == city and district.path.startswith(city.path)
    assert town.parent == district and town.path.startswith(district.path)  # moved along
    luoxi = DistrictUnion.objects.get(name="罗溪镇总工会")
    assert luoxi.level == "town" and luoxi.parent.name == "新北区总工会"
    assert set(DistrictUnion.objects.subtree(city).values_list("name", flat=True)) >= {
        "武进区总工会",
        "高新区总工会",
        "湖塘镇总工会",
        "新北区总工会",
        "罗溪镇总工会",
    }


def test_a_bad_parent_is_refused_and_nothing_is_written(admin_client, town):
    before = tree()
    response = preview(
        admin_client,
        [
            ["常州市总工会", "市", "320400", ""],
            ["外区镇总工会", "镇", "320499100000", "不存在的区总工会"],
            ["高新区分会", "街道", "320412555000", "高新区总工会"],  # a street below a zone
            ["武进区总工会", "区县", "320412", "高新区总工会"],  # below its own town
            ["前置镇总工会", "镇", "320411200000", "新北区总工会"],  # its parent comes later
            ["新北区总工会", "区县", "320411", "常州市总工会"],
        ],
    )
    found = errors(response)
    assert (3, "上级单位", "名录中找不到单位“不存在的区总工会”。") in found
    assert [row for row, column, _m in found if column == "上级单位"] == [3, 4, 5, 6]
    assert "stash" not in response.context or response.context["stash"] is None
    assert tree() == before


def test_bad_codes_are_refused_with_the_forms_messages(admin_client, district):
    response = preview(
        admin_client,
        [
            ["甲镇总工会", "镇", "32041", "武进区总工会"],
            ["乙镇总工会", "镇", "320500100000", "武进区总工会"],
            ["丙区总工会", "区县", "320412100000", ""],
            ["丁镇总工会", "乡镇街", "320412100000", "武进区总工会"],
            ["戊镇总工会", "镇", "320412777000", "武进区总工会"],
            ["戊镇总工会", "镇", "320412777000", "武进区总工会"],
        ],
    )
    found = {(row, column): message for row, column, message in errors(response)}
    assert found[(2, "行政区划代码")] == "行政区划代码应为6、9或12位数字。"
    assert found[(3, "行政区划代码")] == "代码应以 320412 开头，与上级单位“武进区总工会”的代码一致。"
    assert found[(4, "行政区划代码")] == "省、市、区（县）的区划代码为 6 位（GB/T 2260）。"
    assert found[(5, "层级")].startswith("层级应为")
    assert found[(7, "单位名称")] == "重复：本文件第 6 行是同一单位。"
    assert not DistrictUnion.objects.filter(name__endswith="镇总工会", code__startswith="3205").exists()


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_then_import_changes_nothing(admin_client, district, town, other_town, fmt):
    preview_response = preview(admin_client, CITY_ROWS)
    confirm(admin_client, preview_response)
    before = tree()
    params = {"format": "csv"} if fmt == "csv" else {}
    export = admin_client.get(EXPORT_URL, params)
    assert export.status_code == 200
    response = admin_client.post(IMPORT_URL, {"file": upload(export.content, f"单位.{fmt}")})
    plan = response.context["plan"]
    assert errors(response) == []
    assert (len(plan.added), len(plan.updated), plan.unchanged) == (0, 0, len(before))
    assert tree() == before


def test_a_failure_while_writing_leaves_the_tree_as_it_was(admin_client, district, monkeypatch):
    before = tree()
    response = preview(admin_client, CITY_ROWS)
    from unions.ledger import apply as ledger_apply

    real = ledger_apply._apply_units

    def failing(plan):
        real(plan)
        raise DatabaseError("disk full")

    monkeypatch.setattr(ledger_apply, "_apply_units", failing)
    after = confirm(admin_client, response)
    assert after.status_code == 302
    assert tree() == before


def test_planning_asks_the_same_queries_for_3_and_30_new_units(district):
    def count(n):
        rows = [
            (
                i + 2,
                {
                    "name": f"新{i}镇总工会",
                    "level": "镇",
                    "code": f"320412{900 + i}000",
                    "parent": "武进区总工会",
                },
            )
            for i in range(n)
        ]
        with CaptureQueriesContext(connection) as ctx:
            plan = plan_units(Table(rows=rows))
        assert plan.is_valid and len(plan.added) == n
        return len(ctx.captured_queries)

    assert count(3) == count(30)


def test_the_template_lists_the_unit_columns(admin_client):
    from io import BytesIO

    from openpyxl import load_workbook

    response = admin_client.get(reverse("admin:unions_districtunion_import_template"))
    sheet = load_workbook(BytesIO(response.content)).worksheets[0]
    assert [cell.value for cell in sheet[1]] == [c.header for c in UNIT_COLUMNS] == HEADERS
