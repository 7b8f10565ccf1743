"""Referrals (转介): who opens and decides them, each state change, and the problem's timeline."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from outreach.models import ConcernEvent, Referral
from outreach.services import Conflict, referral_open, referral_transition

pytestmark = pytest.mark.django_db


@pytest.fixture
def concern(wage_arrears):
    return wage_arrears


LEGAL = {
    "worker_name": "李强",
    "worker_phone": "13812345678",
    "dispute_type": Referral.DisputeType.WAGE_ARREARS,
    "employer": "五洋纺织机械有限公司",
    "amount_in_dispute": Decimal("25600.00"),
    "workers_concerned": 3,
}
HARDSHIP = {
    "worker_name": "李强",
    "household_members": 4,
    "monthly_income_per_head": Decimal("850.00"),
    "hardship_cause": Referral.Cause.ILLNESS,
    "housing": "租房",
    "health": "妻子患慢性病",
}


def test_the_owner_refers_a_problem_and_the_timeline_says_so(concern, cadre):
    referral = referral_open(concern=concern, actor=cadre, kind=Referral.Kind.LEGAL_AID, **LEGAL)
    assert referral.status == Referral.Status.SUBMITTED
    assert referral.town_id == concern.town_id
    event = concern.events.get(kind=ConcernEvent.Kind.REFERRAL)
    assert event.referral == referral and event.to_status == "submitted"


def test_only_the_fields_of_the_kind_are_kept(concern, cadre):
    referral = referral_open(
        concern=concern, actor=cadre, kind=Referral.Kind.HARDSHIP, **HARDSHIP, employer="某厂"
    )
    assert referral.employer == "" and referral.household_members == 4


def test_the_aid_systems_required_fields_are_required(concern, cadre):
    with pytest.raises(ValidationError) as error:
        referral_open(concern=concern, actor=cadre, kind=Referral.Kind.HARDSHIP, worker_name="李强")
    assert {"household_members", "monthly_income_per_head", "hardship_cause"} <= set(error.value.error_dict)


def test_a_cause_outside_the_fixed_list_is_refused(concern, cadre):
    with pytest.raises(ValidationError):
        referral_open(
            concern=concern, actor=cadre, kind=Referral.Kind.HARDSHIP, **{**HARDSHIP, "hardship_cause": "懒"}
        )


def test_someone_else_than_the_owner_cannot_refer(concern, town_leader, other_cadre):
    for actor in (town_leader, other_cadre):
        with pytest.raises(ValidationError) as error:
            referral_open(concern=concern, actor=actor, kind=Referral.Kind.LEGAL_AID, **LEGAL)
        assert error.value.code == "not_owner"


def test_a_second_referral_of_a_kind_under_way_is_refused(concern, cadre):
    referral_open(concern=concern, actor=cadre, kind=Referral.Kind.LEGAL_AID, **LEGAL)
    with pytest.raises(ValidationError):
        referral_open(concern=concern, actor=cadre, kind=Referral.Kind.LEGAL_AID, **LEGAL)
    referral_open(concern=concern, actor=cadre, kind=Referral.Kind.HARDSHIP, **HARDSHIP)  # another kind: fine
    assert concern.referrals.count() == 2


@pytest.fixture
def referral(concern, cadre):
    return referral_open(concern=concern, actor=cadre, kind=Referral.Kind.LEGAL_AID, **LEGAL)


def test_a_leader_accepts_then_records_the_help(referral, town_leader):
    accepted = referral_transition(
        referral=referral, actor=town_leader, to_status="accepted", expected_version=1
    )
    assert accepted.status == "accepted" and accepted.accepted_at and accepted.decided_by == town_leader
    helped = referral_transition(
        referral=accepted, actor=town_leader, to_status="helped", note="法律援助中心代理仲裁，追回工资。"
    )
    assert helped.status == "helped" and helped.outcome == "法律援助中心代理仲裁，追回工资。"
    steps = list(referral.concern.events.filter(kind="referral").values_list("from_status", "to_status"))
    assert steps == [("", "submitted"), ("submitted", "accepted"), ("accepted", "helped")]


@pytest.mark.parametrize("start", ["submitted", "accepted"])
def test_not_eligible_needs_the_reason(referral, town_leader, start):
    if start == "accepted":
        referral = referral_transition(referral=referral, actor=town_leader, to_status="accepted")
    with pytest.raises(ValidationError) as error:
        referral_transition(referral=referral, actor=town_leader, to_status="not_eligible", note=" ")
    assert error.value.code == "reason_required"
    done = referral_transition(
        referral=referral, actor=town_leader, to_status="not_eligible", note="收入超过标准"
    )
    assert done.status == "not_eligible" and done.decided_at


def test_helped_needs_the_outcome_and_an_accepted_referral(referral, town_leader):
    with pytest.raises(ValidationError) as error:
        referral_transition(referral=referral, actor=town_leader, to_status="helped", note="已帮扶")
    assert error.value.code == "forbidden_transition"
    accepted = referral_transition(referral=referral, actor=town_leader, to_status="accepted")
    with pytest.raises(ValidationError) as error:
        referral_transition(referral=accepted, actor=town_leader, to_status="helped")
    assert error.value.code == "outcome_required"


def test_a_decided_referral_is_final(referral, town_leader):
    done = referral_transition(
        referral=referral, actor=town_leader, to_status="not_eligible", note="不符合条件"
    )
    with pytest.raises(ValidationError) as error:
        referral_transition(referral=done, actor=town_leader, to_status="accepted")
    assert error.value.code == "decided"


def test_a_cadre_cannot_decide_even_his_own_referral(referral, cadre):
    with pytest.raises(ValidationError) as error:
        referral_transition(referral=referral, actor=cadre, to_status="accepted")
    assert error.value.code == "not_leader"


def test_a_stale_decision_is_a_conflict(referral, town_leader, district_leader):
    referral_transition(referral=referral, actor=district_leader, to_status="accepted", expected_version=1)
    with pytest.raises(Conflict):
        referral_transition(
            referral=referral, actor=town_leader, to_status="not_eligible", note="x", expected_version=1
        )


def test_the_demo_has_referrals_in_each_state(settings):
    from django.core.management import call_command

    call_command("seed_demo", "--force")
    call_command("seed_demo", "--force")  # idempotent
    statuses = sorted(Referral.objects.values_list("status", flat=True))
    assert statuses == ["accepted", "helped", "not_eligible", "submitted"]
