"""民情日记: a cadre's done days of a period, printable and as a Word document; a leader
prints the whole unit's at once; nobody reads another unit's diaries."""

import datetime
import io

import pytest
from django.urls import reverse
from docx import Document

from outreach.tests.factories import VisitFactory
from unions.tests.factories import CadreFactory, EnterpriseFactory

pytestmark = pytest.mark.django_db
D = datetime.date
PERIOD = {"from": "2026-07", "to": "2026-09"}  # a quarter


@pytest.fixture
def days(cadre, other_cadre, town):
    e = EnterpriseFactory(district_union=town, name="五洋纺织机械有限公司")
    return {
        "july": VisitFactory(
            cadre=cadre,
            date=D(2026, 7, 8),
            host_enterprise=e,
            people_met="工会主席张华，职工代表五人",
            worker_opinions="希望增加夜班补贴。",
            reflections="职工的诉求要当场回应。",
        ),
        "september": VisitFactory(cadre=cadre, kind="office", date=D(2026, 9, 30), host_enterprise=e),
        "draft": VisitFactory(cadre=cadre, date=D(2026, 8, 3), host_enterprise=e, status="draft"),
        "october": VisitFactory(cadre=cadre, date=D(2026, 10, 1), host_enterprise=e),
        "colleague": VisitFactory(
            cadre=other_cadre, date=D(2026, 8, 12), host_enterprise=e, reflections="同事体会"
        ),
    }


def test_it_requires_login(client):
    assert client.get(reverse("outreach:diary")).status_code == 302
    assert client.get(reverse("outreach:diary_docx")).status_code == 302


def test_a_cadre_reads_the_own_diary_of_a_quarter(login, days, cadre):
    response = login(cadre).get(reverse("outreach:diary"), PERIOD)
    assert response.status_code == 200
    entry = response.context["diary"].entries[0]
    assert [d["visit"] for d in entry["days"]] == [
        days["july"],
        days["september"],
    ]  # done days only, in order
    body = response.content.decode()
    for text in (
        "2026-07-08",
        "五洋纺织机械有限公司",
        "工会主席张华",
        "希望增加夜班补贴。",
        "职工的诉求要当场回应。",
    ):
        assert text in body
    assert "同事体会" not in body


def test_a_cadre_cannot_open_a_colleagues_diary(login, days, cadre, other_cadre):
    client = login(cadre)
    assert client.get(reverse("outreach:diary"), {**PERIOD, "cadre": other_cadre.pk}).status_code == 404
    assert client.get(reverse("outreach:diary"), {**PERIOD, "unit": cadre.unit_id}).context[
        "diary"
    ].cadres == [cadre]


def test_a_leader_prints_the_units_diaries_at_once(login, days, town_leader, cadre, other_cadre, town):
    response = login(town_leader).get(reverse("outreach:diary"), {**PERIOD, "unit": town.pk})
    entries = {e["cadre"].pk: e for e in response.context["diary"].entries}
    assert set(entries) == {cadre.pk, other_cadre.pk, town_leader.pk}
    assert len(entries[other_cadre.pk]["days"]) == 1
    assert response.content.decode().count('class="diary-page') == 3


def test_another_towns_leader_gets_not_found(login, days, other_town_leader, cadre, town):
    client = login(other_town_leader)
    assert client.get(reverse("outreach:diary"), {**PERIOD, "cadre": cadre.pk}).status_code == 404
    assert client.get(reverse("outreach:diary"), {**PERIOD, "unit": town.pk}).status_code == 404
    assert client.get(reverse("outreach:diary_docx"), {**PERIOD, "cadre": "x1"}).status_code == 404


def test_bad_months_show_this_month_with_a_message(login, cadre):
    response = login(cadre).get(reverse("outreach:diary"), {"from": "2026-13", "to": "abc"})
    assert response.status_code == 200
    assert "“2026-13”不是有效的月份" in response.content.decode()


def test_a_diary_is_at_most_a_year(login, cadre):
    response = login(cadre).get(reverse("outreach:diary"), {"from": "2025-01", "to": "2026-12"})
    assert response.context["diary"].last_month == D(2025, 12, 1)


def test_the_word_document_is_a4_portrait_with_each_day(login, days, town_leader, town):
    response = login(town_leader).get(reverse("outreach:diary_docx"), {**PERIOD, "unit": town.pk})
    assert response.status_code == 200
    doc = Document(io.BytesIO(response.content))
    section = doc.sections[0]
    assert section.page_height > section.page_width
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    text = "\n".join(p.text for p in doc.paragraphs) + "\n".join(
        cell.text for table in doc.tables for row in table.rows for cell in row.cells
    )
    assert "希望增加夜班补贴。" in text and "同事体会" in text and "2026-07-08" in text


def test_the_unit_diary_queries_do_not_grow(login, town, town_leader, query_count, django_assert_num_queries):
    client = login(town_leader)
    url = reverse("outreach:diary")

    def add(n):
        for i in range(n):
            VisitFactory(cadre=CadreFactory(unit=town), date=D(2026, 8, 1 + i % 28))

    add(3)
    small = query_count(client, url, {**PERIOD, "unit": town.pk})
    add(20)
    with django_assert_num_queries(small):
        client.get(url, {**PERIOD, "unit": town.pk})
