import io
import zipfile

from openpyxl import Workbook, load_workbook

from lib.spreadsheets import append_row, csv_cell, from_csv_cell


def test_formula_like_text_is_written_as_text_in_xlsx():
    workbook = Workbook()
    append_row(workbook.active, ['=HYPERLINK("http://x")', "+86 138", "-1", "@SUM(A1)", "plain", 3])
    out = io.BytesIO()
    workbook.save(out)
    sheet_xml = zipfile.ZipFile(io.BytesIO(out.getvalue())).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml
    cells = next(load_workbook(io.BytesIO(out.getvalue())).active.iter_rows())
    assert [c.value for c in cells] == ['=HYPERLINK("http://x")', "+86 138", "-1", "@SUM(A1)", "plain", 3]
    assert {c.data_type for c in cells[:5]} == {"s"}


def test_csv_cells_are_quoted_and_come_back_unchanged():
    for text in ("=1+2", "+8613812345678", "-x", "@x", "\tx"):
        assert csv_cell(text).startswith("'")
        assert from_csv_cell(csv_cell(text)) == text
    assert csv_cell("五洋纺织") == "五洋纺织"
    assert from_csv_cell("'quoted") == "'quoted"
