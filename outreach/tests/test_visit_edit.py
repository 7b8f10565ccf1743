"""Editing a recorded visit: the problems already raised are listed (not offered as empty boxes
again), and a changed date moves the problems' received date and deadline with it."""

import datetime
import re

import pytest
from django.urls import reverse

from outreach.models import CategoryTimeLimit, Concern
from outreach.services import concern_create
from outreach.tests.factories import VisitFactory
from outreach.tests.test_visit_form import _post, form_data, today  # noqa: F401 - the fixture
from unions.tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def enterprise(town):
    return EnterpriseFactory(district_union=town, name="五洋纺织机械有限公司")


@pytest.fixture
def returned(cadre, enterprise):
    visit = VisitFactory(
        cadre=cadre, host_enterprise=enterprise, date=datetime.date(2026, 11, 12), status="returned"
    )
    for text in ("加班费计算不清，涉及三名职工。", "食堂伙食差。"):
        concern_create(received_by=cadre, category="wages", description=text, visit=visit)
    return visit


def _edit_data(visit, enterprise, **overrides):
    data = form_data(enterprise, date=f"{visit.date:%Y-%m-%d}", version=visit.version)
    data.update({"concerns-TOTAL_FORMS": "1"})
    data.update(overrides)
    return data


def test_the_edit_form_lists_the_problems_recorded_with_a_link_to_each(login, cadre, returned):
    page = login(cadre).get(reverse("outreach:visit_update", args=[returned.pk])).content.decode()
    recorded = page.split('id="recorded-concerns"')[1].split("</ul>")[0]
    for concern in returned.concerns.all():
        assert reverse("outreach:concern_detail", args=[concern.pk]) in recorded
        assert concern.description[:8] in recorded
    # One box for a problem not recorded yet, not two empty ones inviting to type them again.
    assert len(re.findall(r'name="concerns-\d+-description"', page)) == 1
    assert 'name="concerns-TOTAL_FORMS" value="1"' in page


def test_a_new_visit_still_offers_two_boxes(login, cadre):
    page = login(cadre).get(reverse("outreach:visit_create")).content.decode()
    assert len(re.findall(r'name="concerns-\d+-description"', page)) == 2
    assert 'id="recorded-concerns"' not in page


def test_resubmitting_does_not_record_the_problems_twice(login, cadre, returned, enterprise):
    response = _post(login(cadre), _edit_data(returned, enterprise), returned)
    assert response.status_code == 302
    assert Concern.objects.filter(visit=returned).count() == 2


def test_a_changed_date_moves_the_problems_received_date_and_deadline(login, cadre, returned, enterprise):
    CategoryTimeLimit.objects.update_or_create(category="wages", defaults={"working_days": 3})
    response = _post(login(cadre), _edit_data(returned, enterprise, date="2026-11-05"), returned)
    assert response.status_code == 302
    concerns = list(Concern.objects.filter(visit=returned))
    # Thursday 5 November + 3 working days = Tuesday 10 November.
    assert {(c.received_on, c.due_date) for c in concerns} == {
        (datetime.date(2026, 11, 5), datetime.date(2026, 11, 10))
    }
    assert all(c.version == 2 for c in concerns)
    moved = concerns[0].history.order_by("-history_date", "-history_id").first()
    assert moved.received_on == datetime.date(2026, 11, 5)


def test_a_refused_save_moves_nothing(login, cadre, returned, enterprise):
    before = set(Concern.objects.values_list("received_on", "due_date"))
    response = _post(
        login(cadre),
        _edit_data(returned, enterprise, date="2026-11-05", version=returned.version - 1),
        returned,
    )
    assert response.status_code == 200  # the stale form conflicts
    assert set(Concern.objects.values_list("received_on", "due_date")) == before
