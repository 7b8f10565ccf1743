import io

import pytest
from django.db import DatabaseError, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from unions.ledger import apply as ledger_apply
from unions.ledger.format import ENTERPRISE_COLUMNS
from unions.ledger.plan import plan_enterprises
from unions.ledger.read import read_table
from unions.models import EnterpriseUnion
from unions.tests.factories import AdminCadreFactory, EnterpriseFactory, TownFactory, valid_credit_code
from unions.tests.import_files import ENTERPRISE_HEADERS, csv_bytes, enterprise_row, upload, xlsx_bytes

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("admin:unions_enterpriseunion_import")
EXPORT_URL = reverse("admin:unions_enterpriseunion_export")
TEMPLATE_URL = reverse("admin:unions_enterpriseunion_import_template")
CODE_A, CODE_B, CODE_C = valid_credit_code(1), valid_credit_code(2), valid_credit_code(3)


@pytest.fixture
def admin_client(login, admin_cadre, town, other_town):
    return login(admin_cadre)


def preview(client, content: bytes, name="台账.xlsx"):
    return client.post(IMPORT_URL, {"file": upload(content, name)})


def confirm(client, response):
    return client.post(IMPORT_URL, {"stash": response.context["stash"]})


def snapshot():
    return sorted(
        EnterpriseUnion.objects.values_list(
            "credit_code", "name", "district_union__name", "employees", "members", "has_union", "is_active"
        )
    )


def test_template_has_the_chinese_headers_and_a_guide(admin_client):
    response = admin_client.get(TEMPLATE_URL)
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    first = workbook.worksheets[0]
    assert [cell.value for cell in first[1]] == ENTERPRISE_HEADERS
    assert workbook.sheetnames[1] == "填写说明"


def test_filled_template_imports_after_confirmation(admin_client, town):
    template = load_workbook(io.BytesIO(admin_client.get(TEMPLATE_URL).content))
    sheet = template.worksheets[0]
    sheet.append(enterprise_row(CODE_A))
    sheet.append(enterprise_row(CODE_B, "常州科能电子有限公司", "湖塘镇"))
    buffer = io.BytesIO()
    template.save(buffer)

    response = preview(admin_client, buffer.getvalue())
    assert response.status_code == 200
    assert len(response.context["plan"].added) == 2
    assert not EnterpriseUnion.objects.exists()  # the preview writes nothing
    assert "导入：新增 2 条" in response.content.decode()

    response = confirm(admin_client, response)
    assert response.status_code == 302
    assert snapshot() == [
        (CODE_A, "常州五洋纺织机械有限公司", "高新区总工会", 120, 100, True, True),
        (CODE_B, "常州科能电子有限公司", "湖塘镇总工会", 120, 100, True, True),
    ]
    follow = admin_client.get(response.url)
    assert "新增 2 条" in follow.content.decode()


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_then_import_changes_nothing(admin_client, town, other_town, fmt):
    EnterpriseFactory(district_union=town, phone="05198888", address="常州市武进区常武中路18号")
    EnterpriseFactory(district_union=other_town, has_union=False, members=0, is_active=False)
    EnterpriseFactory(district_union=other_town, chair_name="", employees=0, members=0)
    before = snapshot()
    exported = admin_client.get(EXPORT_URL, {"format": "csv"} if fmt == "csv" else {})
    assert exported.status_code == 200

    response = preview(admin_client, exported.content, f"导出.{fmt}")
    plan = response.context["plan"]
    assert plan.errors == []
    assert plan.unchanged == len(before) and not plan.added and not plan.updated
    assert "所有行都已在名录中" in response.content.decode()
    assert response.context["stash"] is None
    assert snapshot() == before


def test_export_keeps_the_changelist_filter(admin_client, town, other_town):
    EnterpriseFactory(name="高新区的企业", district_union=town)
    EnterpriseFactory(name="湖塘镇的企业", district_union=other_town)
    response = admin_client.get(EXPORT_URL, {"district_union__id__exact": town.pk})
    names = [
        row[1]
        for row in load_workbook(io.BytesIO(response.content)).active.iter_rows(min_row=2, values_only=True)
    ]
    assert names == ["高新区的企业"]


def test_changed_rows_update_matched_by_credit_code_with_history(admin_client, admin_cadre, town, other_town):
    EnterpriseFactory(credit_code=CODE_A, district_union=town, employees=50, members=40)
    content = xlsx_bytes([ENTERPRISE_HEADERS, enterprise_row(CODE_A, town=other_town.name)])
    response = preview(admin_client, content)
    plan = response.context["plan"]
    assert [c.row for c in plan.updated] == [2]
    assert set(plan.updated[0].fields) == {
        "企业名称",
        "所属镇（开发区）",
        "职工人数",
        "会员人数",
        "工会主席",
        "联系电话",
    }
    confirm(admin_client, response)
    enterprise = EnterpriseUnion.objects.get()
    assert (enterprise.district_union, enterprise.employees, enterprise.members) == (other_town, 120, 100)
    record = enterprise.history.first()
    assert record.history_type == "~"
    assert record.history_user == admin_cadre.user
    assert record.history_change_reason == "从台账文件导入"


def test_towns_match_by_division_code_or_short_name(admin_client, town, other_town):
    content = csv_bytes(
        [ENTERPRISE_HEADERS, enterprise_row(CODE_A, town=town.code), enterprise_row(CODE_B, town="湖塘镇")]
    )
    plan = preview(admin_client, content, "a.csv").context["plan"]
    assert plan.errors == []
    assert [row["district_union"] for row, _ in plan.to_create] == [town, other_town]


ERROR_CASES = [
    (enterprise_row(CODE_A[:-1] + ("0" if CODE_A[-1] != "0" else "1")), "统一社会信用代码", "校验位"),
    (enterprise_row("9132041"), "统一社会信用代码", "应为18位"),
    (enterprise_row("91320412MA1XXXXXIO"), "统一社会信用代码", "不允许的字符"),
    (enterprise_row(CODE_A, town="不存在镇"), "所属镇（开发区）", "找不到单位“不存在镇”"),
    (enterprise_row(CODE_A, **{"会员人数": 130}), "会员人数", "工会会员人数（130）不能多于职工人数（120）"),
    (enterprise_row(CODE_A, **{"企业名称": ""}), "企业名称", "必须填写"),
    (enterprise_row("", **{"所属镇（开发区）": ""}), "统一社会信用代码", "必须填写"),
    (enterprise_row(CODE_A, **{"职工人数": "一百"}), "职工人数", "不小于 0 的整数"),
    (enterprise_row(CODE_A, **{"是否建会": "也许"}), "是否建会", "“是”或“否”"),
]


@pytest.mark.parametrize(("row", "column", "message"), ERROR_CASES)
def test_each_kind_of_error_is_reported_and_nothing_is_written(admin_client, row, column, message):
    content = xlsx_bytes([ENTERPRISE_HEADERS, enterprise_row(CODE_B), row])
    response = preview(admin_client, content)
    errors = response.context["plan"].errors
    assert (errors[0].row, errors[0].column) == (3, column)
    assert message in errors[0].message
    body = response.content.decode()
    assert message in body
    assert response.context["stash"] is None
    assert 'name="stash"' not in body
    assert "在改正之前不会导入任何内容" in body
    assert not EnterpriseUnion.objects.exists()


def test_duplicates_within_the_file_are_errors(admin_client):
    content = xlsx_bytes(
        [ENTERPRISE_HEADERS, enterprise_row(CODE_A), enterprise_row(CODE_B), enterprise_row(CODE_A)]
    )
    errors = preview(admin_client, content).context["plan"].errors
    assert [(e.row, e.column) for e in errors] == [(4, "统一社会信用代码")]
    assert "与本文件第 2 行" in errors[0].message


def test_a_file_with_every_kind_of_error_lists_them_all_and_writes_nothing(admin_client):
    rows = [row for row, _column, _message in ERROR_CASES]
    content = xlsx_bytes([ENTERPRISE_HEADERS, enterprise_row(CODE_B), *rows, enterprise_row(CODE_B)])
    response = preview(admin_client, content)
    plan = response.context["plan"]
    assert plan.error_rows == len(rows) + 1
    assert "本文件有" in response.content.decode()
    # Even a forged confirmation cannot write: there is no stash for a file with errors.
    assert admin_client.post(IMPORT_URL, {"stash": "x" * 32}).status_code == 302
    assert not EnterpriseUnion.objects.exists()


def test_gbk_csv_imports(admin_client, town):
    content = csv_bytes([ENTERPRISE_HEADERS, enterprise_row(CODE_A, **{"地址": "武进区湖塘镇花园街"})], "gbk")
    content.decode("gbk")  # really GBK, not UTF-8
    with pytest.raises(UnicodeDecodeError):
        content.decode("utf-8")
    response = preview(admin_client, content, "企业台账.csv")
    assert response.context["plan"].errors == []
    confirm(admin_client, response)
    assert EnterpriseUnion.objects.get().address == "武进区湖塘镇花园街"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_encodings_import(admin_client, encoding):
    content = csv_bytes([ENTERPRISE_HEADERS, enterprise_row(CODE_A)], encoding)
    plan = preview(admin_client, content, "a.csv").context["plan"]
    assert plan.errors == [] and len(plan.added) == 1
    assert plan.to_create[0][0]["name"] == "常州五洋纺织机械有限公司"


def test_xlsx_with_merged_title_and_blank_trailing_rows(admin_client, town):
    content = xlsx_bytes(
        [["序号", *ENTERPRISE_HEADERS], [1, *enterprise_row(CODE_A)], [2, *enterprise_row(CODE_B)]],
        before=[["武进区企业工会情况台账（2026 年）"], ["填报单位：高新区总工会"]],
        merges=["A1:M1", "A2:M2"],
        after=[[None] * 13, [3], [None, None, None, None], [4]],
    )
    response = preview(admin_client, content)
    plan = response.context["plan"]
    assert plan.errors == []
    assert [c.row for c in plan.added] == [4, 5]
    assert plan.ignored_headers == ["序号"]
    confirm(admin_client, response)
    assert EnterpriseUnion.objects.count() == 2


def test_xlsx_with_a_two_row_merged_header(admin_client):
    first = [
        "统一社会信用代码",
        "企业名称",
        "所属镇（开发区）",
        "职工人数",
        "会员人数",
        "建会情况",
        None,
        "联系电话",
    ]
    second = [None, None, None, None, None, "是否建会", "是否有工会办公室", None]
    data = [CODE_A, "常州五洋纺织机械有限公司", "湖塘镇", 300, 250, "是", "是", 13912345678]
    content = xlsx_bytes(
        [first, second, data], merges=["A1:A2", "B1:B2", "C1:C2", "D1:D2", "E1:E2", "F1:G1", "H1:H2"]
    )
    plan = preview(admin_client, content).context["plan"]
    assert plan.errors == []
    row = plan.to_create[0][0]
    assert (row["employees"], row["has_union"], row["has_office"], row["phone"]) == (
        300,
        True,
        True,
        "13912345678",
    )
    assert plan.added[0].row == 3


def test_a_failure_midway_leaves_the_directory_as_it_was(admin_client, town, monkeypatch):
    EnterpriseFactory(credit_code=CODE_A, district_union=town, employees=50, members=40)
    before = snapshot()
    content = xlsx_bytes([ENTERPRISE_HEADERS, enterprise_row(CODE_B), enterprise_row(CODE_A)])
    response = preview(admin_client, content)

    real_update_rows = ledger_apply._update_rows

    def fail_midway(model, objects, fields, user):
        real_update_rows(model, objects[:1], fields, user)
        raise DatabaseError("disk full")

    # The new rows and one update are written, then the database fails.
    monkeypatch.setattr(ledger_apply, "_update_rows", fail_midway)
    response = confirm(admin_client, response)
    assert response.status_code == 302
    assert "导入失败并已撤销" in admin_client.get(response.url).content.decode()
    assert snapshot() == before
    assert EnterpriseUnion.history.count() == 1


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("台账.xls", b"\xd0\xcf\x11\xe0old excel", "只能导入 .xlsx 和 .csv"),
        ("台账.pdf", b"%PDF-1.4", "只能导入 .xlsx 和 .csv"),
        ("台账.xlsx", b"not a zip", "不是 .xlsx 工作簿"),
        (
            "台账.csv",
            "名称,地址\n甲,乙\n".encode(),
            "缺少必填列：统一社会信用代码、企业名称、所属镇（开发区）",
        ),
        ("台账.csv", "甲,乙\n1,2\n".encode(), "找不到表头行"),
        ("台账.csv", b"", "所提交的是空文件"),
    ],
)
def test_other_files_are_refused_with_a_message(admin_client, name, content, message):
    response = preview(admin_client, content, name)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["plan"] is None


def test_files_over_the_size_limit_are_refused(admin_client, settings):
    settings.DIRECTORY_IMPORT_MAX_BYTES = 1024
    content = csv_bytes([ENTERPRISE_HEADERS] + [enterprise_row(valid_credit_code(n)) for n in range(40)])
    response = preview(admin_client, content, "big.csv")
    assert "上限为" in response.content.decode()
    assert response.context["plan"] is None


def test_the_preview_queries_do_not_grow_with_the_rows(admin_client, town, other_town):
    def table(n):
        rows = [
            enterprise_row(valid_credit_code(i), town=("湖塘镇" if i % 2 else town.code)) for i in range(n)
        ]
        return read_table(xlsx_bytes([ENTERPRISE_HEADERS, *rows]), "a.xlsx", ENTERPRISE_COLUMNS)

    for i in range(3):  # some rows update existing enterprises, in both sizes
        EnterpriseFactory(credit_code=valid_credit_code(i), district_union=town, employees=500)
    small, large = table(3), table(300)
    with CaptureQueriesContext(connection) as small_queries:
        small_plan = plan_enterprises(small)
    with CaptureQueriesContext(connection) as large_queries:
        large_plan = plan_enterprises(large)
    assert len(small_plan.updated) == len(large_plan.updated) == 3
    assert len(small_queries) == len(large_queries) == 2


def test_another_town_with_the_same_name_needs_the_code(admin_client, town):
    TownFactory(name=town.name, level="zone")
    errors = (
        preview(admin_client, xlsx_bytes([ENTERPRISE_HEADERS, enterprise_row(CODE_A)])).context["plan"].errors
    )
    assert "请改填行政区划代码" in errors[0].message
    plan = preview(
        admin_client, xlsx_bytes([ENTERPRISE_HEADERS, enterprise_row(CODE_A, town=town.code)])
    ).context["plan"]
    assert plan.errors == []


def test_a_preview_can_only_be_confirmed_in_its_own_session(admin_client, town):
    response = preview(admin_client, xlsx_bytes([ENTERPRISE_HEADERS, enterprise_row(CODE_A)]))
    stash = response.context["stash"]
    other_admin = Client()
    other_admin.force_login(AdminCadreFactory(unit=town.parent).user)
    response = other_admin.post(IMPORT_URL, {"stash": stash})
    assert response.status_code == 302
    assert "预览的文件已失效" in other_admin.get(response.url).content.decode()
    assert not EnterpriseUnion.objects.exists()


def test_a_conflict_appearing_after_the_preview_is_shown_and_nothing_written(admin_client, town):
    response = preview(
        admin_client, xlsx_bytes([ENTERPRISE_HEADERS, enterprise_row(CODE_A), enterprise_row(CODE_B)])
    )
    town.name = "改了名的高新区"  # the file's town no longer exists by that name
    town.save()
    response = confirm(admin_client, response)
    assert response.status_code == 200
    assert "找不到单位“高新区总工会”" in response.content.decode()
    assert not EnterpriseUnion.objects.exists()


def test_confirming_twice_imports_once(admin_client):
    response = preview(admin_client, xlsx_bytes([ENTERPRISE_HEADERS, enterprise_row(CODE_A)]))
    assert confirm(admin_client, response).status_code == 302
    assert confirm(admin_client, response).status_code == 302
    assert EnterpriseUnion.objects.count() == 1
    assert EnterpriseUnion.history.count() == 1


def test_a_direct_enterprise_imports_into_its_district(client, admin_cadre, district, town):
    content = xlsx_bytes([ENTERPRISE_HEADERS, enterprise_row(valid_credit_code(71), town=district.name)])
    client.force_login(admin_cadre.user)
    preview = client.post(reverse("admin:unions_enterpriseunion_import"), {"file": upload(content)})
    assert preview.status_code == 200
    assert preview.context["plan"].added and not preview.context["plan"].errors
