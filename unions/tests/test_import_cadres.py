import io

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from openpyxl import load_workbook

from unions.models import Cadre
from unions.tests.factories import CadreFactory, EnterpriseFactory, UserFactory
from unions.tests.import_files import CADRE_HEADERS, csv_bytes, upload, xlsx_bytes

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("admin:unions_cadre_import")
EXPORT_URL = reverse("admin:unions_cadre_export")
TEMPLATE_URL = reverse("admin:unions_cadre_import_template")
User = get_user_model()


@pytest.fixture
def admin_client(login, admin_cadre, town, other_town):
    return login(admin_cadre)


def preview(client, content: bytes, name="干部台账.xlsx"):
    return client.post(IMPORT_URL, {"file": upload(content, name)})


def confirm(client, response):
    return client.post(IMPORT_URL, {"stash": response.context["stash"]})


def snapshot():
    return sorted(
        (
            c.user.username,
            c.name,
            c.unit.name,
            c.post,
            c.phone,
            c.role,
            c.is_active,
            sorted(t.name for t in c.towns.all()),
        )
        for c in Cadre.objects.select_related("user", "unit").prefetch_related("towns")
    )


def test_template_has_the_cadre_headers(admin_client):
    workbook = load_workbook(io.BytesIO(admin_client.get(TEMPLATE_URL).content))
    assert [cell.value for cell in workbook.worksheets[0][1]] == CADRE_HEADERS


def test_new_cadres_get_a_login_without_usable_password(
    admin_client, admin_cadre, district, town, other_town
):
    content = xlsx_bytes(
        [
            CADRE_HEADERS,
            ["tangjt", "汤俊涛", "武进区总工会", "组织部干事", "13900000001", "干部", "高新区、湖塘镇", "是"],
            [None, "许文静", town.code, "主席", 13900000002, "领导", None, None],
        ]
    )
    response = preview(admin_client, content)
    assert response.context["plan"].errors == []
    assert "没有可用密码" in response.content.decode() and "激活单" in response.content.decode()
    confirm(admin_client, response)

    tang = Cadre.objects.get(user__username="tangjt")
    assert (tang.unit, tang.role, set(tang.towns.all())) == (district, "cadre", {town, other_town})
    assert not tang.user.has_usable_password()
    xu = Cadre.objects.get(name="许文静")
    assert (xu.user.username, xu.unit, xu.role, xu.is_active) == ("13900000002", town, "leader", True)
    record = tang.history.get()
    assert (record.history_type, record.history_user) == ("+", admin_cadre.user)


def test_cadres_are_matched_by_login_or_by_phone(admin_client, town, other_town):
    by_login = CadreFactory(user=UserFactory(username="wangq"), unit=town, name="王强", phone="13911111111")
    by_phone = CadreFactory(unit=town, name="陈明", phone="13922222222", post="干事")
    password = by_login.user.password
    content = csv_bytes(
        [
            CADRE_HEADERS,
            ["wangq", "王强", "湖塘镇", "副主席", "13911111111", "领导", "湖塘镇", "是"],
            ["", "陈明", "高新区总工会", "干事", "13922222222", "干部", "", "否"],
        ],
        "gbk",
    )
    response = preview(admin_client, content, "干部.csv")
    plan = response.context["plan"]
    assert plan.errors == [] and not plan.added
    assert [c.row for c in plan.updated] == [2, 3]
    confirm(admin_client, response)
    by_login.refresh_from_db()
    by_phone.refresh_from_db()
    assert (by_login.unit, by_login.post, by_login.role, list(by_login.towns.all())) == (
        other_town,
        "副主席",
        "leader",
        [other_town],
    )
    assert by_login.user.password == password  # an existing login keeps its password
    assert by_phone.is_active is False
    assert Cadre.objects.count() == 3 and by_login.history.first().history_type == "~"


def test_export_then_import_changes_nothing(admin_client, town, other_town):
    leader = CadreFactory(unit=town, role="leader", post="主席")
    leader.towns.set([town, other_town])
    CadreFactory(unit=other_town, phone="", is_active=False)
    before = snapshot()
    exported = admin_client.get(EXPORT_URL)
    plan = preview(admin_client, exported.content).context["plan"]
    assert plan.errors == []
    assert (plan.unchanged, len(plan.added), len(plan.updated)) == (len(before), 0, 0)
    assert snapshot() == before


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (["x1", "", "高新区", "", "", "", "", ""], "姓名", "必须填写"),
        (["x1", "张三", "不存在镇", "", "", "", "", ""], "所在单位", "找不到单位“不存在镇”"),
        (["x1", "张三", "高新区", "", "", "书记", "", ""], "角色", "干部、领导或管理员"),
        (
            ["x1", "张三", "高新区", "", "", "", "湖塘镇，月亮镇", ""],
            "分片包镇",
            "找不到镇（开发区）“月亮镇”",
        ),
        (["", "张三", "高新区", "", "", "", "", ""], "登录名", "至少填写一项"),
        (["张 三", "张三", "高新区", "", "", "", "", ""], "登录名", "只能包含"),
        (["x1", "张三", "高新区", "", "", "", "", "不知道"], "是否有效", "“是”或“否”"),
        (["a", "张三", "高新区", "", "", "", "", ""], "登录名", "重复：与本文件第 2 行是同一位干部"),
    ],
)
def test_each_kind_of_cadre_error_is_reported_and_nothing_is_written(admin_client, row, column, message):
    content = xlsx_bytes([CADRE_HEADERS, ["a", "李四", "湖塘镇", "", "", "", "", ""], row])
    response = preview(admin_client, content)
    errors = response.context["plan"].errors
    assert [(e.row, e.column) for e in errors] == [(3, column)]
    assert message in errors[0].message
    assert response.context["stash"] is None
    assert Cadre.objects.count() == 1  # only the admin
    assert not User.objects.filter(username__in=["a", "x1"]).exists()


def test_a_phone_shared_by_two_cadres_needs_a_login(admin_client, town):
    CadreFactory.create_batch(2, unit=town, phone="051986661234")
    content = xlsx_bytes([CADRE_HEADERS, ["", "张三", "高新区", "", "051986661234", "", "", ""]])
    errors = preview(admin_client, content).context["plan"].errors
    assert [(e.row, e.column) for e in errors] == [(2, "电话")]
    assert "请改填登录名" in errors[0].message


# --- e-mail and 定点联系企业 -----------------------------------------------------------------


def test_imported_cadres_with_an_address_get_the_invitation(
    admin_client, town, django_capture_on_commit_callbacks
):
    from django.core import mail

    first, second = (
        EnterpriseFactory(district_union=town),
        EnterpriseFactory(district_union=town, name="科能电子"),
    )
    content = xlsx_bytes(
        [
            CADRE_HEADERS,
            [
                "",
                "李新",
                "高新区",
                "干事",
                "13900000011",
                "",
                "",
                "",
                "li@example.cn",
                f"{first.credit_code}、科能电子",
            ],
            ["", "周无邮", "高新区", "干事", "13900000012", "", "", "", "", ""],
        ]
    )
    response = preview(admin_client, content)
    assert response.context["plan"].errors == []
    with django_capture_on_commit_callbacks(execute=True):
        confirm(admin_client, response)
    li = Cadre.objects.get(name="李新")
    assert li.user.email == "li@example.cn"
    assert set(li.contact_enterprises.all()) == {first, second}
    assert [m.to for m in mail.outbox] == [["li@example.cn"]]
    assert "/accounts/activate/" in mail.outbox[0].body
    assert Cadre.objects.get(pk=li.pk).invited_at is not None


@pytest.mark.parametrize(
    ("email", "enterprises", "column", "message"),
    [
        ("not-an-address", "", "e-mail", "不是电子邮箱地址"),
        ("", "月亮公司", "定点联系企业", "找不到统一社会信用代码或名称为“月亮公司”的企业"),
        ("", "同名公司", "定点联系企业", "有多家企业名为“同名公司”"),
    ],
)
def test_email_and_contact_enterprise_errors_are_reported_per_row(
    admin_client, town, email, enterprises, column, message
):
    EnterpriseFactory.create_batch(2, district_union=town, name="同名公司")
    content = xlsx_bytes([CADRE_HEADERS, ["x1", "张三", "高新区", "", "", "", "", "", email, enterprises]])
    plan = preview(admin_client, content).context["plan"]
    assert [(e.row, e.column) for e in plan.errors] == [(2, column)]
    assert message in plan.errors[0].message
    assert not Cadre.objects.filter(name="张三").exists()


def test_a_duplicate_address_in_the_file_is_an_error(admin_client, town):
    rows = [
        ["a1", "甲", "高新区", "", "", "", "", "", "same@example.cn", ""],
        ["a2", "乙", "高新区", "", "", "", "", "", "SAME@example.cn", ""],
    ]
    plan = preview(admin_client, xlsx_bytes([CADRE_HEADERS, *rows])).context["plan"]
    assert [(e.row, e.column) for e in plan.errors] == [(3, "e-mail")]


def test_a_file_without_the_new_columns_keeps_address_and_enterprises(admin_client, town):
    cadre = CadreFactory(
        user=UserFactory(username="keep", email="keep@example.cn"), unit=town, name="留着", post="干事"
    )
    enterprise = EnterpriseFactory(district_union=town)
    cadre.contact_enterprises.set([enterprise])
    old_headers = CADRE_HEADERS[:8]
    response = preview(
        admin_client, xlsx_bytes([old_headers, ["keep", "留着", "高新区", "副主席", cadre.phone, "", "", ""]])
    )
    confirm(admin_client, response)
    cadre.refresh_from_db()
    cadre.user.refresh_from_db()
    assert cadre.post == "副主席"
    assert cadre.user.email == "keep@example.cn" and list(cadre.contact_enterprises.all()) == [enterprise]


def test_export_then_import_keeps_addresses_and_enterprises(admin_client, town):
    cadre = CadreFactory(user=UserFactory(email="rt@example.cn"), unit=town)
    cadre.contact_enterprises.set(EnterpriseFactory.create_batch(2, district_union=town))
    exported = admin_client.get(EXPORT_URL)
    header = [cell.value for cell in load_workbook(io.BytesIO(exported.content)).worksheets[0][1]]
    assert header == CADRE_HEADERS
    plan = preview(admin_client, exported.content).context["plan"]
    assert plan.errors == [] and not plan.updated and not plan.added
