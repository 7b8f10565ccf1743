"""The year report: every figure compared with counts made here from the factory data, and
every number opening the visits behind it."""

import datetime
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from outreach.models import Visit, YearQuota
from outreach.tests.factories import VisitFactory
from unions.models import Cadre
from unions.tests.factories import CadreFactory, EnterpriseFactory

pytestmark = pytest.mark.django_db

YEAR = 2025
KINDS = ["chairman", "office", "worker"]
DONE = {Visit.Status.SUBMITTED, Visit.Status.REVIEWED}
D = datetime.date


@pytest.fixture
def year_data(town, other_town, cadre, other_cadre, town_leader):
    """2025 in 高新区 (and a little in 湖塘镇):

    - 许文静 (cadre) does the three kinds every month but March, where the worker day was
      returned for changes; her December worker day is on 31 December;
    - 王强 (other_cadre) does a few days, a draft and a deleted one do not count;
    - 李红, who has left, did two days in 2025; 赵兵, who has left, did none;
    - days on 31 December 2024 and 1 January 2026 are outside the year;
    - 周海 of the other town is not in the town's report.
    """
    e = EnterpriseFactory(district_union=town)
    visits = []

    def add(**kwargs):
        kwargs.setdefault("host_enterprise", e)
        visits.append(VisitFactory(**kwargs))

    for month in range(1, 13):
        add(cadre=cadre, kind="chairman", date=D(YEAR, month, 3))
        add(cadre=cadre, kind="office", date=D(YEAR, month, 12))
        if month == 3:
            add(cadre=cadre, kind="worker", date=D(YEAR, 3, 20), status=Visit.Status.RETURNED)
        elif month == 12:
            add(cadre=cadre, kind="worker", date=D(YEAR, 12, 31))
        else:
            add(cadre=cadre, kind="worker", date=D(YEAR, month, 21), status=Visit.Status.REVIEWED)
    add(cadre=cadre, kind="worker", date=D(YEAR - 1, 12, 31))
    add(cadre=cadre, kind="worker", date=D(YEAR + 1, 1, 1))
    add(cadre=other_cadre, kind="chairman", date=D(YEAR, 2, 3))
    add(cadre=other_cadre, kind="chairman", date=D(YEAR, 2, 4))  # same week: one grassroots week
    add(cadre=other_cadre, kind="office", date=D(YEAR, 5, 6))
    add(cadre=other_cadre, kind="worker", date=D(YEAR, 5, 7), status=Visit.Status.DRAFT)
    add(cadre=other_cadre, kind="worker", date=D(YEAR, 5, 8), is_deleted=True)
    left = CadreFactory(unit=town, name="李红", is_active=False)
    add(cadre=left, kind="office", date=D(YEAR, 1, 9))
    add(cadre=left, kind="worker", date=D(YEAR, 1, 10))
    CadreFactory(unit=town, name="赵兵", is_active=False)
    outsider = CadreFactory(unit=other_town, name="周海")
    add(
        cadre=outsider,
        kind="worker",
        date=D(YEAR, 6, 1),
        host_enterprise=EnterpriseFactory(district_union=other_town),
    )
    return visits


def counted(visits, cadre_ids):
    return [
        v
        for v in visits
        if v.cadre_id in cadre_ids and not v.is_deleted and v.status in DONE and v.date.year == YEAR
    ]


def get_year(client, leader, **params):
    client.force_login(leader.user)
    response = client.get(reverse("reports:year"), {"year": YEAR, **params})
    assert response.status_code == 200
    return response, response.context["report"]


def test_each_cadres_months_weeks_and_quota(
    client, year_data, town, district, cadre, other_cadre, town_leader
):
    YearQuota.objects.create(unit=district, role="cadre", days=30, grassroots_weeks=40)
    YearQuota.objects.create(unit=town, role="leader", days=12, grassroots_weeks=10)
    response, report = get_year(client, town_leader)
    rows = {row["id"]: row for row in report.cadres}
    left = {c.pk for c in town.cadres.filter(is_active=False)}
    assert len(left) == 2 and len(set(rows) & left) == 1  # the one who left without a day is not listed
    assert set(rows) - left == {cadre.pk, other_cadre.pk, town_leader.pk}
    for cadre_id, row in rows.items():
        mine = counted(year_data, {cadre_id})
        for month in range(1, 13):
            cells = {c["kind"]: c["n"] for c in row["months"][month - 1]["cells"]}
            assert cells == {k: sum(1 for v in mine if v.kind == k and v.date.month == month) for k in KINDS}
        assert row["days"] == len(mine)
        assert row["weeks"] == len({v.date - datetime.timedelta(days=v.date.weekday()) for v in mine})
    mine = rows[cadre.pk]
    assert mine["days"] == 35  # 12 × 3, less the returned March worker day
    assert mine["months"][2]["missed"] and mine["months"][2]["cells"][2]["n"] == 0
    assert mine["months"][11]["cells"][2]["n"] == 1  # 31 December counts in December
    assert mine["complete_months"] == 11
    assert (mine["quota"].days, mine["quota"].grassroots_weeks) == (30, 40)  # the district's quota
    assert mine["days_met"] and not mine["weeks_met"]  # 35 ≥ 30 days, but only 35 weeks of 40
    assert rows[other_cadre.pk]["weeks"] == 2
    assert rows[town_leader.pk]["quota"].days == 12  # the town's own quota for its leader
    body = response.content.decode()
    row_html = re.search(rf'<tr data-cadre="{cadre.pk}">(.*?)</tr>', body, re.S).group(1)
    assert re.findall(r'data-missed="(\d+)"', row_html) == ["3"]
    assert "35</a> / 30" in row_html
    assert "已停用" in body and "周海" not in body


def test_each_units_figures_add_up_its_cadres(client, year_data, district, town, other_town, district_leader):
    _response, report = get_year(client, district_leader)
    units = {row["unit_id"]: row for row in report.unit_rows}
    assert set(units) == {district.pk, town.pk, other_town.pk}  # the district leader is a cadre too
    town_cadres = set(town.cadres.values_list("pk", flat=True))
    mine = counted(year_data, town_cadres)
    assert units[town.pk]["days"] == len(mine)
    for month in range(1, 13):
        cells = {c["kind"]: c["n"] for c in units[town.pk]["months"][month - 1]["cells"]}
        assert cells == {k: sum(1 for v in mine if v.kind == k and v.date.month == month) for k in KINDS}
    everyone = set(Cadre.objects.values_list("pk", flat=True))
    assert report.total["days"] == len(counted(year_data, everyone)) == sum(u["days"] for u in units.values())
    assert units[town.pk]["counted"] == 3  # today's active cadres: the quota is asked of them
    assert units[town.pk]["quota_days"] == 3 * 36  # the default quota


def _count_behind(client, url) -> int:
    response = client.get(url)
    assert response.status_code == 200
    return response.context["page_obj"].paginator.count


def test_every_number_opens_the_visits_behind_it(client, year_data, town, town_leader):
    response, _report = get_year(client, town_leader)
    body = response.content.decode()
    links = re.findall(r'<a href="([^"]+)"[^>]*data-(?:kind|total|days)[^>]*>(\d+)</a>', body)
    assert len(links) > 4 * 36
    # Check the year's figures of each row and one month's in full (each is a page load).
    for url, number in [(u, n) for u, n in links if "month=" not in u or "month=2025-03" in u]:
        assert _count_behind(client, url.replace("&amp;", "&")) == int(number), url
    # The grassroots weeks open the year's days they are made of.
    weeks = re.findall(r'<a href="([^"]+)"[^>]*data-weeks[^>]*>(\d+)</a>', body)
    assert len(weeks) == 4 and all("year=2025" in url for url, _n in weeks)


def test_the_workbook_has_the_same_figures(client, year_data, town_leader, cadre):
    client.force_login(town_leader.user)
    response = client.get(reverse("reports:year_xlsx"), {"year": YEAR})
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    sheet = wb["干部明细"]
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["单位", "工会干部", "1月基层主席日"]
    row = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[1] == cadre.name)
    assert row[2 + 2 * 3 : 2 + 3 * 3] == (1, 1, 0)  # March: the returned worker day is not counted
    assert row[header.index("完成天数")] == 35
    assert "各单位" in wb.sheetnames


def test_a_bad_year_shows_the_current_year_with_a_message(client, town_leader):
    client.force_login(town_leader.user)
    response = client.get(reverse("reports:year"), {"year": "20x5"})
    assert response.status_code == 200
    assert "不是有效的年份" in response.content.decode()
    assert client.get(reverse("reports:year_xlsx"), {"year": "99999"}).status_code == 400


def test_the_year_queries_do_not_grow(login, town, district_leader, query_count, django_assert_num_queries):
    client = login(district_leader)
    url = reverse("reports:year")

    def add(n):
        for i in range(n):
            someone = CadreFactory(unit=town)
            VisitFactory(cadre=someone, date=D(YEAR, 1 + i % 12, 1 + i % 28), kind=KINDS[i % 3])

    add(3)
    small = query_count(client, url, {"year": YEAR})
    add(30)
    YearQuota.objects.create(unit=town, role="cadre", days=40)
    with django_assert_num_queries(small):
        assert client.get(url, {"year": YEAR}).status_code == 200


def test_a_cadre_sees_his_or_her_own_year_against_the_quota(client, year_data, district, cadre, other_cadre):
    YearQuota.objects.create(unit=district, role="cadre", days=30, grassroots_weeks=40)
    client.force_login(cadre.user)
    response = client.get(reverse("reports:my_year"), {"year": YEAR})
    assert response.status_code == 200
    row = response.context["row"]
    mine = counted(year_data, {cadre.pk})
    assert row["id"] == cadre.pk and row["days"] == len(mine) == 35
    assert row["weeks"] == len({v.date - datetime.timedelta(days=v.date.weekday()) for v in mine})
    assert [m["missed"] for m in row["months"]] == [m == 3 for m in range(1, 13)]
    body = response.content.decode()
    assert "35</a> / 30" in body and "任务数由" in body  # the district's quota, and who set it
    assert 'data-missed="3"' in body and other_cadre.name not in body
    # Every number opens the visits behind it, within what the cadre may see.
    links = re.findall(r'<a href="([^"]+)"[^>]*data-(?:kind|total|days|weeks)[^>]*>(\d+)</a>', body)
    assert len(links) == 36 + 3 + 2
    for url, number in [(u, n) for u, n in links if "month=" not in u or "month=2025-03" in u]:
        assert _count_behind(client, url.replace("&amp;", "&")) == int(number), url


def test_my_year_is_linked_from_my_month_and_keeps_constant_queries(
    login, town, cadre, query_count, django_assert_num_queries
):
    client = login(cadre)
    assert reverse("reports:my_year") in client.get(reverse("outreach:my_month")).content.decode()
    url = reverse("reports:my_year")
    VisitFactory(cadre=cadre, date=D(YEAR, 1, 5), kind="chairman")
    small = query_count(client, url, {"year": YEAR})
    for i in range(30):
        VisitFactory(cadre=cadre, date=D(YEAR, 1 + i % 12, 1 + i % 28), kind=KINDS[i % 3])
    with django_assert_num_queries(small):
        assert client.get(url, {"year": YEAR}).status_code == 200
    bad = client.get(url, {"year": "20x5"})
    assert bad.status_code == 200 and "不是有效的年份" in bad.content.decode()
