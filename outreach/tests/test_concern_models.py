import datetime

import pytest

from outreach.models import Concern
from outreach.services import concern_handover
from outreach.tests.factories import ConcernFactory
from unions.tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def concern(cadre, town):
    return ConcernFactory(
        owner=cadre, enterprise=EnterpriseFactory(district_union=town), worker_phone="13812345678"
    )


def test_masked_phone_keeps_the_first_three_and_last_four_digits():
    assert ConcernFactory.build(worker_phone="13812345678").masked_phone == "138****5678"
    assert ConcernFactory.build(worker_phone="12345").masked_phone == "****"
    assert ConcernFactory.build(worker_phone="").masked_phone == ""


@pytest.mark.parametrize(
    ("who", "sees_full"),
    [
        ("cadre", True),  # the owner
        ("other_cadre", False),
        ("town_leader", True),  # leader of the problem's town
        ("other_town_leader", False),
        ("district_leader", True),
        ("admin_cadre", True),
    ],
)
def test_phone_is_shown_in_full_only_to_owner_and_leaders_of_the_unit(request, concern, who, sees_full):
    person = request.getfixturevalue(who)
    assert concern.phone_visible_to(person) is sees_full
    assert concern.phone_for(person) == ("13812345678" if sees_full else "138****5678")


def test_first_receiver_sees_the_phone_masked_after_handing_over(concern, cadre, other_cadre):
    concern = concern_handover(concern=concern, actor=cadre, to_owner=other_cadre, reason="转交")
    assert concern.phone_for(cadre) == "138****5678"
    assert concern.phone_for(other_cadre) == "13812345678"


def test_leader_who_sees_a_problem_through_the_owner_gets_it_masked(
    cadre, town_leader, other_town_leader, other_town
):
    # Owned by a 高新区 cadre but raised in another town: 高新区's leader sees the problem
    # (the owner is in scope) but only that town's leader sees the worker's phone.
    concern = ConcernFactory(owner=cadre, enterprise=EnterpriseFactory(district_union=other_town))
    assert Concern.objects.visible_to(town_leader).filter(pk=concern.pk).exists()
    assert concern.phone_visible_to(town_leader) is False
    assert concern.phone_visible_to(other_town_leader) is True


@pytest.mark.parametrize(
    ("who", "visible"),
    [
        ("cadre", True),
        ("other_cadre", False),
        ("town_leader", True),
        ("other_town_leader", False),
        ("district_leader", True),
    ],
)
def test_visibility_per_role(request, concern, who, visible):
    person = request.getfixturevalue(who)
    assert Concern.objects.visible_to(person).filter(pk=concern.pk).exists() is visible


def test_deleted_problems_are_hidden_from_everyone(concern, cadre, district_leader):
    Concern.objects.filter(pk=concern.pk).update(is_deleted=True)
    assert not Concern.objects.visible_to(cadre).exists()
    assert not Concern.objects.visible_to(district_leader).exists()


def test_due_this_week_runs_from_today_to_sunday(cadre):
    wednesday = datetime.date(2026, 11, 18)
    dates = [datetime.date(2026, 11, d) for d in (17, 18, 22, 23)]
    for due in dates:
        ConcernFactory(owner=cadre, due_date=due)
    ConcernFactory(owner=cadre, due_date=datetime.date(2026, 11, 19), status="resolved")
    week = Concern.objects.due_this_week(wednesday).values_list("due_date", flat=True)
    assert sorted(week) == [datetime.date(2026, 11, 18), datetime.date(2026, 11, 22)]
    overdue = Concern.objects.overdue(wednesday).values_list("due_date", flat=True)
    assert list(overdue) == [datetime.date(2026, 11, 17)]


def test_the_pending_indexes_condition_names_the_pending_statuses():
    from outreach.models.concerns import PENDING_ALIVE

    assert dict(PENDING_ALIVE.children) == {"is_deleted": False, "status__in": list(Concern.PENDING_STATUSES)}
