"""Directory names that a spreadsheet would run as formulas (= + - @): every export writes them
as text, and the round trip export → import stays "unchanged" (the review's finding)."""

import csv
import io
import zipfile

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from unions.models import EnterpriseUnion
from unions.tests.factories import CadreFactory, EnterpriseFactory
from unions.tests.import_files import upload

pytestmark = pytest.mark.django_db

FORMULAS = ['=HYPERLINK("http://evil.example","点我")', "+86 0519 8888", "-1+2有限公司", "@SUM(A1)"]
EXPORTS = {
    "enterprises": (
        reverse("admin:unions_enterpriseunion_export"),
        reverse("admin:unions_enterpriseunion_import"),
    ),
    "cadres": (reverse("admin:unions_cadre_export"), reverse("admin:unions_cadre_import")),
}


@pytest.fixture
def admin_client(login, admin_cadre, town):
    for text in FORMULAS:
        EnterpriseFactory(district_union=town, name=text, chair_name=text, address=text)
        CadreFactory(unit=town, name=text, post=text)
    return login(admin_cadre)


def _snapshot():
    return sorted(EnterpriseUnion.objects.values_list("name", "chair_name", "address", "phone"))


@pytest.mark.parametrize("which", list(EXPORTS))
def test_the_xlsx_export_holds_no_formula(admin_client, which):
    response = admin_client.get(EXPORTS[which][0])
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.content)) as book:
        sheets = [book.read(n).decode() for n in book.namelist() if n.startswith("xl/worksheets/")]
    assert not any("<f>" in sheet for sheet in sheets)
    values = {
        c.value for row in load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows() for c in row
    }
    assert set(FORMULAS) <= values  # shown as typed, as text


@pytest.mark.parametrize("which", list(EXPORTS))
def test_the_csv_export_quotes_formulas(admin_client, which):
    response = admin_client.get(EXPORTS[which][0], {"format": "csv"})
    text = response.content.decode("utf-8-sig")
    cells = {cell for row in csv.reader(io.StringIO(text)) for cell in row}
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)
    assert {"'" + f for f in FORMULAS} <= cells


@pytest.mark.parametrize("which", list(EXPORTS))
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_then_import_of_formula_like_names_is_unchanged(admin_client, which, fmt):
    export_url, import_url = EXPORTS[which]
    before = _snapshot()
    exported = admin_client.get(export_url, {"format": "csv"} if fmt == "csv" else {})
    response = admin_client.post(import_url, {"file": upload(exported.content, f"导出.{fmt}")})
    plan = response.context["plan"]
    assert plan.errors == []
    assert not plan.added and not plan.updated and plan.unchanged >= len(FORMULAS)
    assert _snapshot() == before
