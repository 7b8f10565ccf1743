"""Builders of ledger files for the import tests and the benchmark."""

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

ENTERPRISE_HEADERS = [
    "统一社会信用代码",
    "企业名称",
    "所属镇（开发区）",
    "职工人数",
    "会员人数",
    "是否建会",
    "是否有工会办公室",
    "工会主席",
    "专职工会干部",
    "联系电话",
    "地址",
    "是否有效",
]
CADRE_HEADERS = [
    "登录名",
    "姓名",
    "所在单位",
    "职务",
    "电话",
    "角色",
    "分片包镇",
    "是否有效",
    "e-mail",
    "定点联系企业",
]


def xlsx_bytes(rows, *, before=(), merges=(), after=()) -> bytes:
    """A workbook whose first sheet holds `before` rows (titles), then `rows`, then `after` rows."""
    workbook = Workbook()
    sheet = workbook.active
    for row in [*before, *rows, *after]:
        sheet.append(list(row))
    for cell_range in merges:
        sheet.merge_cells(cell_range)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows, encoding="utf-8-sig") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode(encoding)


def upload(content: bytes, name="台账.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def enterprise_row(code, name="常州五洋纺织机械有限公司", town="高新区总工会", **overrides):
    row = dict(
        zip(
            ENTERPRISE_HEADERS,
            [code, name, town, 120, 100, "是", "否", "张伟", "", "0519-86661234", "", "是"],
            strict=True,
        )
    )
    unknown = set(overrides) - set(row)
    assert not unknown, f"not a column: {unknown}"
    row.update(overrides)
    return [row[header] for header in ENTERPRISE_HEADERS]
