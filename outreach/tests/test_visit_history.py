"""A visit's history: one entry per save (its companions included), and the return reason
kept after the review; existing visits get their reason back from their history (0018)."""

import re

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from outreach.models import Visit
from outreach.tests.factories import VisitFactory
from outreach.tests.test_visit_form import _post, form_data, today  # noqa: F401 - the fixture
from unions.tests.factories import EnterpriseFactory


@pytest.fixture
def enterprise(town):
    return EnterpriseFactory(district_union=town, name="五洋纺织机械有限公司")


def _entries(page: str) -> list[str]:
    history = page.split('<h2 class="h5">历史记录</h2>')[-1]
    return [
        re.sub(r"\s+", " ", e).strip()
        for e in re.findall(r'<li class="list-group-item">\s*<div>(.*?)</div>', history, re.S)
    ]


@pytest.mark.django_db
def test_one_submit_with_companions_is_one_history_entry(login, cadre, companion, enterprise):
    client = login(cadre)
    assert _post(client, form_data(enterprise, companions=[companion.pk])).status_code == 302
    visit = Visit.objects.get()
    assert visit.history.count() == 1
    assert list(visit.history.get().companions.values_list("cadre_id", flat=True)) == [companion.pk]
    entries = _entries(client.get(visit.get_absolute_url()).content.decode())
    assert len(entries) == 1 and "已提交" in entries[0] and "创建了记录" in entries[0]


@pytest.mark.django_db
def test_changing_the_companions_at_an_edit_is_one_entry_with_the_change(
    login, cadre, companion, other_cadre, enterprise
):
    client = login(cadre)
    _post(client, form_data(enterprise, companions=[companion.pk]))
    visit = Visit.objects.get()
    data = form_data(enterprise, companions=[other_cadre.pk], version=visit.version, work_done="改过的内容")
    assert _post(client, data, visit).status_code == 302
    assert visit.history.count() == 2
    latest = visit.history.order_by("-history_date", "-history_id").first()
    assert list(latest.companions.values_list("cadre_id", flat=True)) == [other_cadre.pk]


@pytest.mark.django_db
def test_the_return_reason_stays_visible_after_the_review(login, cadre, town_leader, enterprise):
    visit = VisitFactory(cadre=cadre, host_enterprise=enterprise, date="2026-11-10")
    leader = login(town_leader)
    leader.post(reverse("outreach:visit_return", args=[visit.pk]), {"reason": "请补充职工意见。"})
    visit.refresh_from_db()
    author = login(cadre)
    assert _post(author, form_data(enterprise, version=visit.version), visit).status_code == 302
    login(town_leader).post(reverse("outreach:visit_review", args=[visit.pk]), {"comment": "记录翔实。"})
    visit.refresh_from_db()
    assert (visit.status, visit.return_reason, visit.review_comment) == (
        "reviewed",
        "请补充职工意见。",
        "记录翔实。",
    )
    page = login(cadre).get(visit.get_absolute_url()).content.decode()
    assert "请补充职工意见。" in page and "记录翔实。" in page


def _migrate(targets=None):
    executor = MigrationExecutor(connection)
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_existing_visits_get_the_reason_of_their_last_return(cadre, town_leader, town):
    from outreach.services import visit_return, visit_review

    visit = VisitFactory(cadre=cadre, host_enterprise=EnterpriseFactory(district_union=town))
    never = VisitFactory(cadre=cadre, host_enterprise=visit.host_enterprise)
    visit_return(visit=visit, reviewer=town_leader, reason="第一次退回")
    Visit.objects.filter(pk=visit.pk).update(status="submitted")
    visit.refresh_from_db()
    visit_return(visit=visit, reviewer=town_leader, reason="第二次退回")
    Visit.objects.filter(pk=visit.pk).update(status="submitted")
    visit.refresh_from_db()
    visit_review(visit=visit, reviewer=town_leader, comment="记录翔实。")
    # Before 0017 the reason was the review comment of the return (history rows keep it).
    for record in Visit.history.filter(id=visit.pk, status="returned"):
        record.review_comment = record.return_reason
        record.save()

    old_apps = _migrate([("outreach", "0017_visit_return_reason")])
    for name in ("Visit", "HistoricalVisit"):
        old_apps.get_model("outreach", name).objects.update(return_reason="")
    _migrate()

    assert Visit.objects.get(pk=visit.pk).return_reason == "第二次退回"
    assert Visit.objects.get(pk=visit.pk).review_comment == "记录翔实。"
    assert Visit.objects.get(pk=never.pk).return_reason == ""
    first = Visit.history.filter(id=visit.pk, status="returned").order_by("history_date", "history_id")[0]
    assert first.return_reason == "第一次退回"
