"""Workers affected: each problem records how many workers it concerns (positive, default 1)."""

import datetime

import pytest
from django.urls import reverse

from outreach.models import Concern
from outreach.tests.factories import ConcernFactory
from unions.tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def enterprise(town):
    return EnterpriseFactory(district_union=town, name="五洋纺织机械有限公司")


def _visit_data(enterprise, **concern):
    data = {
        "kind": "worker",
        "date": f"{datetime.date.today() - datetime.timedelta(days=1):%Y-%m-%d}",
        "host_union": "",
        "host_enterprise": enterprise.pk,
        "topics": ["ideology"],
        "work_done": "在装配车间跟班劳动一天。",
        "action": "submit",
        "dir-has_union": "unknown",
        "dir-has_office": "unknown",
        "concerns-TOTAL_FORMS": "2",
        "concerns-INITIAL_FORMS": "0",
        "concerns-MIN_NUM_FORMS": "0",
        "concerns-MAX_NUM_FORMS": "20",
        # The second box is left as the page renders it: nothing typed, one worker.
        "concerns-1-workers_affected": "1",
    }
    data |= {f"concerns-0-{name}": value for name, value in concern.items()}
    return data


def test_a_visit_records_how_many_workers_each_problem_concerns(login, cadre, enterprise):
    data = _visit_data(enterprise, category="wages", description="三名职工工资被拖欠。", workers_affected="3")
    response = login(cadre).post(reverse("outreach:visit_create"), data)
    assert response.status_code == 302
    assert list(Concern.objects.values_list("workers_affected", flat=True)) == [3]


def test_a_problem_left_at_one_worker_counts_one(login, cadre, enterprise):
    data = _visit_data(enterprise, category="concern", description="食堂伙食差。")
    login(cadre).post(reverse("outreach:visit_create"), data)
    assert list(Concern.objects.values_list("workers_affected", flat=True)) == [1]


@pytest.mark.parametrize("bad", ["0", "-2", "abc"])
def test_the_problem_page_refuses_a_number_of_workers_that_is_not_positive(login, cadre, enterprise, bad):
    response = login(cadre).post(
        reverse("outreach:concern_create"),
        {
            "category": "wages",
            "description": "拖欠工资",
            "enterprise": enterprise.pk,
            "workers_affected": bad,
        },
    )
    assert response.status_code == 200 and not Concern.objects.exists()
    body = response.content.decode()
    assert "拖欠工资" in body and "is-invalid" in body
    assert "Ensure" not in body and "Enter a whole number" not in body  # the message is in Chinese


def test_the_owner_corrects_the_number_and_the_page_shows_it(login, cadre, enterprise):
    concern = ConcernFactory(owner=cadre, enterprise=enterprise)
    client = login(cadre)
    response = client.post(
        reverse("outreach:concern_update", args=[concern.pk]),
        {
            "version": concern.version,
            "category": concern.category,
            "description": concern.description,
            "workers_affected": "7",
            "worker_name": "",
            "worker_phone": "",
        },
    )
    assert response.status_code == 302
    concern.refresh_from_db()
    assert concern.workers_affected == 7
    body = client.get(concern.get_absolute_url()).content.decode()
    assert '<dd class="col-7 col-sm-9" data-workers-affected>7</dd>' in body
    assert concern.history.first().workers_affected == 7  # kept in the history
