"""A leader reviews a submitted visit, or returns it with a reason; the cadre changes it and resubmits."""

import pytest
from django.urls import reverse

from outreach.models import Visit
from outreach.tests.factories import VisitFactory
from unions.tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def visit(cadre, town):
    return VisitFactory(
        cadre=cadre, host_enterprise=EnterpriseFactory(district_union=town), date="2026-11-10"
    )


def _form(visit, **overrides):
    data = {
        "kind": visit.kind,
        "date": "2026-11-10",
        "host_enterprise": visit.host_enterprise_id,
        "work_done": visit.work_done,
        "worker_opinions": "补充：职工希望增设夜班班车。",
        "action": "submit",
        "version": visit.version,
        "dir-has_union": "unknown",
        "dir-has_office": "unknown",
        "concerns-TOTAL_FORMS": "0",
        "concerns-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def test_the_return_and_resubmit_cycle(login, cadre, town_leader, visit):
    leader = login(town_leader)
    response = leader.post(reverse("outreach:visit_return", args=[visit.pk]), {"reason": "请补充职工意见。"})
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.status == Visit.Status.RETURNED and visit.reviewer == town_leader
    assert visit.return_reason == "请补充职工意见。"

    author = login(cadre)
    page = author.get(reverse("outreach:visit_detail", args=[visit.pk])).content.decode()
    assert "请补充职工意见。" in page  # the cadre sees why
    assert (
        "请补充职工意见。" in author.get(reverse("outreach:visit_update", args=[visit.pk])).content.decode()
    )
    visit.refresh_from_db()
    response = author.post(reverse("outreach:visit_update", args=[visit.pk]), _form(visit))
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.status == Visit.Status.SUBMITTED and "夜班班车" in visit.worker_opinions

    response = login(town_leader).post(
        reverse("outreach:visit_review", args=[visit.pk]), {"comment": "记录翔实。"}
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.status == Visit.Status.REVIEWED and visit.review_comment == "记录翔实。"
    assert visit.reviewed_at is not None
    # Reviewed: closed to edits.
    assert login(cadre).get(reverse("outreach:visit_update", args=[visit.pk])).status_code == 403
    reasons = list(visit.history.values_list("history_change_reason", flat=True))
    assert len(reasons) == 4


def test_a_returned_visit_saved_as_draft_stays_returned(login, cadre, visit):
    visit.status = Visit.Status.RETURNED
    visit.return_reason = "请补充。"
    visit.save()
    response = login(cadre).post(
        reverse("outreach:visit_update", args=[visit.pk]), _form(visit, action="draft")
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.status == Visit.Status.RETURNED


def test_returning_needs_a_reason(login, town_leader, visit):
    response = login(town_leader).post(reverse("outreach:visit_return", args=[visit.pk]), {"reason": "  "})
    assert response.status_code == 400
    assert response.context["return_form"].errors["reason"]
    visit.refresh_from_db()
    assert visit.status == Visit.Status.SUBMITTED


def test_a_ten_thousand_character_comment_is_refused(login, town_leader, visit):
    response = login(town_leader).post(
        reverse("outreach:visit_review", args=[visit.pk]), {"comment": "好" * 10_000}
    )
    assert response.status_code == 400
    visit.refresh_from_db()
    assert visit.status == Visit.Status.SUBMITTED


@pytest.mark.parametrize("status", [Visit.Status.DRAFT, Visit.Status.PLANNED, Visit.Status.REVIEWED])
def test_only_submitted_visits_can_be_reviewed(login, town_leader, visit, status):
    visit.status = status
    visit.save()
    response = login(town_leader).post(reverse("outreach:visit_review", args=[visit.pk]))
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.status == status


def test_a_leader_does_not_review_his_own_day(login, district_leader, town):
    own = VisitFactory(cadre=district_leader, host_enterprise=EnterpriseFactory(district_union=town))
    login(district_leader).post(reverse("outreach:visit_review", args=[own.pk]))
    own.refresh_from_db()
    assert own.status == Visit.Status.SUBMITTED


def test_the_review_buttons_show_only_to_a_leader_who_may_review(login, cadre, town_leader, visit):
    url = reverse("outreach:visit_detail", args=[visit.pk])
    review_url = reverse("outreach:visit_review", args=[visit.pk])
    assert review_url in login(town_leader).get(url).content.decode()
    assert review_url not in login(cadre).get(url).content.decode()


def test_an_open_edit_form_conflicts_with_a_review(login, cadre, town_leader, visit):
    opened = visit.version
    login(town_leader).post(reverse("outreach:visit_return", args=[visit.pk]), {"reason": "请补充。"})
    response = login(cadre).post(
        reverse("outreach:visit_update", args=[visit.pk]), _form(visit, version=opened)
    )
    assert response.status_code == 200
    visit.refresh_from_db()
    assert visit.status == Visit.Status.RETURNED
