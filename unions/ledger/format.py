"""The ledger's file format: its columns, the words it uses for yes/no and roles, cell text."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from ..models import Cadre, DistrictUnion

# The column headers, boolean words and role words are the ledger's file format, not UI text:
# they stay Chinese whatever the interface language, so an exported file always imports back.
YES, NO = "是", "否"
TRUE_WORDS = {"是", "有", "已建", "已建会", "y", "yes", "true", "1", "√", "✓"}
FALSE_WORDS = {"否", "无", "没有", "未建", "未建会", "n", "no", "false", "0", "×", "✗"}
ROLE_WORDS = {
    "干部": Cadre.Role.CADRE,
    "工会干部": Cadre.Role.CADRE,
    "领导": Cadre.Role.LEADER,
    "管理员": Cadre.Role.ADMIN,
    "cadre": Cadre.Role.CADRE,
    "leader": Cadre.Role.LEADER,
    "admin": Cadre.Role.ADMIN,
}
ROLE_EXPORT = {Cadre.Role.CADRE: "干部", Cadre.Role.LEADER: "领导", Cadre.Role.ADMIN: "管理员"}
Level = DistrictUnion.Level
LEVEL_WORDS = {
    "省": Level.PROVINCE,
    "省总工会": Level.PROVINCE,
    "province": Level.PROVINCE,
    "市": Level.CITY,
    "市总工会": Level.CITY,
    "city": Level.CITY,
    "区县": Level.DISTRICT,
    "区(县)": Level.DISTRICT,
    "区": Level.DISTRICT,
    "县": Level.DISTRICT,
    "县(市)": Level.DISTRICT,
    "区总工会": Level.DISTRICT,
    "县总工会": Level.DISTRICT,
    "district": Level.DISTRICT,
    "镇": Level.TOWN,
    "乡镇": Level.TOWN,
    "乡": Level.TOWN,
    "镇总工会": Level.TOWN,
    "town": Level.TOWN,
    "街道": Level.STREET,
    "街道总工会": Level.STREET,
    "street": Level.STREET,
    "开发区": Level.ZONE,
    "园区": Level.ZONE,
    "开发区总工会": Level.ZONE,
    "zone": Level.ZONE,
}
LEVEL_EXPORT = {
    Level.PROVINCE: "省",
    Level.CITY: "市",
    Level.DISTRICT: "区县",
    Level.TOWN: "镇",
    Level.STREET: "街道",
    Level.ZONE: "开发区",
}
TOWN_SEPARATORS = re.compile(r"[、,，;；\s]+")


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    width: int = 14
    note: str = ""


ENTERPRISE_COLUMNS = (
    Column("credit_code", "统一社会信用代码", True, ("社会信用代码", "信用代码"), 22, "18 位，含校验位"),
    Column("name", "企业名称", True, ("单位名称", "企业（单位）名称"), 30),
    Column(
        "town",
        "所属镇（开发区）",
        True,
        ("所属镇", "所属镇（区）", "所属镇（街道）", "镇（开发区）", "所属镇区"),
        18,
        "镇（街道、开发区）工会名称或行政区划代码；直属企业填区、市工会",
    ),
    Column("employees", "职工人数", False, ("职工数",), 10, "整数，空白为 0"),
    Column("members", "会员人数", False, ("会员数", "工会会员人数"), 10, "整数，不得多于职工人数"),
    Column("has_union", "是否建会", False, ("已建会",), 10, "是／否，空白为否"),
    Column("has_office", "是否有工会办公室", False, ("是否有工会工作办公室",), 14, "是／否，空白为否"),
    Column("chair_name", "工会主席", False, (), 12),
    Column("fulltime_cadre_name", "专职工会干部", False, ("专职干部",), 12),
    Column("phone", "联系电话", False, ("电话",), 16),
    Column("address", "地址", False, ("企业地址",), 36),
    Column("is_active", "是否有效", False, (), 10, "是／否，空白为是"),
)

CADRE_COLUMNS = (
    Column("login", "登录名", False, ("用户名", "账号"), 16, "空白时按电话匹配；新干部以电话作登录名"),
    Column("name", "姓名", True, (), 10),
    Column("unit", "所在单位", True, ("单位",), 18, "区、镇（开发区）工会名称或行政区划代码"),
    Column("post", "职务", False, (), 16),
    Column("phone", "电话", False, ("联系电话", "手机", "手机号"), 16),
    Column("role", "角色", False, (), 8, "干部／领导／管理员，空白为干部"),
    Column("towns", "分片包镇", False, ("包镇",), 30, "镇（开发区）名称，用、或，分隔"),
    Column("is_active", "是否有效", False, (), 10, "是／否，空白为是"),
    Column(
        "email",
        "e-mail",
        False,
        ("E-mail", "Email", "email", "电子邮箱", "邮箱", "电子邮件"),
        26,
        "新干部收到激活邮件；空白的用激活单",
    ),
    Column(
        "enterprises",
        "定点联系企业",
        False,
        ("定点联系",),
        40,
        "统一社会信用代码或企业全称，用、或，分隔；没有这一列时不改动",
    ),
)
UNIT_COLUMNS = (
    Column("name", "单位名称", True, ("工会名称", "名称"), 24),
    Column("level", "层级", True, ("级别",), 10, "省／市／区县／镇／街道／开发区"),
    Column(
        "code",
        "行政区划代码",
        False,
        ("区划代码", "代码"),
        16,
        "省、市、区县 6 位（GB/T 2260），镇、街道、开发区 12 位统计用区划代码，以上级的代码开头；空白时不改动",
    ),
    Column(
        "parent",
        "上级单位",
        False,
        ("上级工会", "上级"),
        20,
        "上级工会名称或行政区划代码，须已在名录中或在本表前面的行中；省总工会空白",
    ),
)
ENTERPRISE_SEPARATORS = re.compile(r"[、,，;；\n]+")


def normalize_header(text: str) -> str:
    text = str(text or "").replace("（", "(").replace("）", ")")
    return re.sub(r"[\s*＊:：]", "", text)


def cell_text(value) -> str:
    """A cell as the text a person sees: integral floats lose their .0, phones stay phones."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime("%Y-%m-%d")
    return str(value).replace("\u3000", " ").replace("\xa0", " ").strip()
