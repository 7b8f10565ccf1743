import datetime

import pytest
from django.core.exceptions import ValidationError

from outreach.models import CategoryTimeLimit, Concern, ConcernEvent
from outreach.services import (
    Conflict,
    concern_create,
    concern_delete,
    concern_escalate,
    concern_handover,
    concern_transition,
    concern_update,
)
from outreach.tests.factories import ConcernFactory
from unions.tests.factories import CadreFactory, DistrictFactory, EnterpriseFactory, TownFactory

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def concern(cadre):
    return concern_create(
        received_by=cadre,
        category="concern",
        description="职工反映加班费计算不清。",
        enterprise=EnterpriseFactory(district_union=cadre.unit),
        worker_name="李强",
        worker_phone="13812345678",
    )


def _refusal(callable_, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        callable_(**kwargs)
    return info.value


# --- 限时办结: deadlines from the admin-configured limits ---


@pytest.mark.parametrize(
    ("category", "days", "received_on", "expected"),
    [
        ("wages", 15, D(2026, 11, 16), D(2026, 12, 7)),  # three weeks of working days, over a month end
        ("dispute", 3, D(2026, 11, 27), D(2026, 12, 2)),  # Friday before a month end
        ("hardship", 1, D(2026, 2, 27), D(2026, 2, 28)),  # Friday before the make-up Saturday after 春节
        ("answered", 0, D(2026, 11, 21), D(2026, 11, 23)),  # received on a Saturday: due Monday
        ("legal_aid", 2, D(2026, 12, 31), D(2027, 1, 4)),  # over the year end and a weekend
    ],
)
def test_deadline_follows_the_changed_time_limit(cadre, category, days, received_on, expected):
    CategoryTimeLimit.objects.filter(category=category).update(working_days=days)
    concern = concern_create(
        received_by=cadre, category=category, description="职工反映", received_on=received_on
    )
    assert concern.due_date == expected


def test_changing_a_limit_leaves_existing_deadlines_alone(cadre):
    first = concern_create(
        received_by=cadre, category="dispute", description="a", received_on=D(2026, 11, 16)
    )
    CategoryTimeLimit.objects.filter(category="dispute").update(working_days=1)
    second = concern_create(
        received_by=cadre, category="dispute", description="b", received_on=D(2026, 11, 16)
    )
    first.refresh_from_db()
    assert first.due_date == D(2026, 11, 23)  # default 5 working days
    assert second.due_date == D(2026, 11, 17)


def test_missing_time_limit_falls_back_to_five_working_days(cadre):
    CategoryTimeLimit.objects.filter(category="other").delete()
    concern = concern_create(
        received_by=cadre, category="other", description="a", received_on=D(2026, 11, 20)
    )
    assert concern.due_date == D(2026, 11, 27)


# --- status transitions ---


def test_owner_moves_a_problem_through_every_status(concern, cadre):
    concern = concern_transition(concern=concern, actor=cadre, to_status="in_progress", note="已联系企业")
    assert concern.status == "in_progress"
    concern = concern_transition(concern=concern, actor=cadre, to_status="resolved", note="企业已补发加班费")
    assert concern.resolution == "企业已补发加班费" and concern.resolved_at is not None
    concern = concern_transition(
        concern=concern,
        actor=cadre,
        to_status="closed",
        callback_note="电话回访，职工确认已收到",
        satisfaction="satisfied",
    )
    concern.refresh_from_db()
    assert concern.status == "closed" and concern.closed_at is not None
    assert concern.satisfaction == "satisfied" and concern.callback_note == "电话回访，职工确认已收到"
    steps = list(concern.events.filter(kind="status").values_list("from_status", "to_status", "actor"))
    assert steps == [
        ("open", "in_progress", cadre.pk),
        ("in_progress", "resolved", cadre.pk),
        ("resolved", "closed", cadre.pk),
    ]
    assert concern.version == 4


def test_open_problem_answered_on_the_spot_can_be_resolved_directly(concern, cadre):
    concern = concern_transition(concern=concern, actor=cadre, to_status="resolved", note="现场解答")
    assert concern.status == "resolved"


def test_resolved_problem_goes_back_to_work_with_a_reason(concern, cadre):
    concern = concern_transition(concern=concern, actor=cadre, to_status="resolved", note="已处理")
    error = _refusal(concern_transition, concern=concern, actor=cadre, to_status="in_progress")
    assert error.code == "reopen_reason_required"
    concern = concern_transition(concern=concern, actor=cadre, to_status="in_progress", note="回访发现未落实")
    assert concern.status == "in_progress"


@pytest.mark.parametrize(
    ("start", "target", "code", "words"),
    [
        ("open", "closed", "close_unresolved", "只有已解决的诉求才能办结"),
        ("in_progress", "closed", "close_unresolved", "只有已解决的诉求才能办结"),
        ("in_progress", "open", "forbidden_transition", "诉求不能从"),
        ("resolved", "open", "forbidden_transition", "诉求不能从"),
        ("closed", "open", "closed_is_final", "不能重新打开"),
        ("closed", "in_progress", "closed_is_final", "不能重新打开"),
        ("closed", "resolved", "closed_is_final", "不能重新打开"),
        ("open", "open", "forbidden_transition", "诉求不能从"),
    ],
)
def test_forbidden_transitions_are_refused_with_a_clear_message(cadre, start, target, code, words):
    concern = ConcernFactory(
        owner=cadre, status=start, closed_at="2026-11-01T10:00+08:00" if start == "closed" else None
    )
    error = _refusal(concern_transition, concern=concern, actor=cadre, to_status=target, note="x")
    assert error.code == code
    assert words in error.messages[0]
    concern.refresh_from_db()
    assert concern.status == start
    assert not concern.events.exists()


def test_forbidden_transition_message_follows_the_language(cadre):
    from django.utils import translation

    concern = ConcernFactory(owner=cadre)
    with translation.override("en"):
        error = _refusal(concern_transition, concern=concern, actor=cadre, to_status="closed")
    assert error.messages[0] == "Only a resolved problem can be closed: record how it was resolved first."


@pytest.mark.parametrize(
    ("target", "kwargs", "code"),
    [
        ("resolved", {"note": "  "}, "resolution_required"),
        ("closed", {"callback_note": "", "satisfaction": "satisfied"}, "callback_required"),
        ("closed", {"callback_note": "已回访", "satisfaction": ""}, "satisfaction_required"),
        ("closed", {"callback_note": "已回访", "satisfaction": "happy"}, "satisfaction_required"),
    ],
)
def test_resolving_and_closing_need_their_texts(cadre, target, kwargs, code):
    start = "in_progress" if target == "resolved" else "resolved"
    concern = ConcernFactory(owner=cadre, status=start)
    assert _refusal(concern_transition, concern=concern, actor=cadre, to_status=target, **kwargs).code == code


def test_only_the_owner_changes_the_status(concern, other_cadre, town_leader):
    for someone in (other_cadre, town_leader):
        error = _refusal(concern_transition, concern=concern, actor=someone, to_status="in_progress")
        assert error.code == "not_owner"


def test_stale_version_is_a_conflict(concern, cadre):
    concern_transition(concern=concern, actor=cadre, to_status="in_progress")
    with pytest.raises(Conflict):
        concern_transition(concern=concern, actor=cadre, to_status="resolved", note="x", expected_version=1)


# --- hand-over (首问负责: the first receiver stays on record) ---


def test_handover_moves_ownership_and_keeps_history(concern, cadre, other_cadre):
    concern = concern_handover(
        concern=concern, actor=cadre, to_owner=other_cadre, reason="涉及工资集体协商，转交"
    )
    concern.refresh_from_db()
    assert concern.owner == other_cadre and concern.received_by == cadre
    event = concern.events.get(kind="handover")
    assert (event.actor, event.from_owner, event.to_owner, event.note) == (
        cadre,
        cadre,
        other_cadre,
        "涉及工资集体协商，转交",
    )
    # The new owner can act; the old one no longer can, but keeps the problem in sight.
    concern = concern_transition(concern=concern, actor=other_cadre, to_status="in_progress")
    assert (
        _refusal(concern_transition, concern=concern, actor=cadre, to_status="resolved", note="x").code
        == "not_owner"
    )
    assert Concern.objects.visible_to(cadre).filter(pk=concern.pk).exists()
    assert Concern.objects.visible_to(other_cadre).filter(pk=concern.pk).exists()


def test_second_handover_keeps_the_middle_owner_in_sight(concern, cadre, other_cadre, town):
    third = CadreFactory(unit=town)
    concern = concern_handover(concern=concern, actor=cadre, to_owner=other_cadre, reason="转交")
    concern = concern_handover(concern=concern, actor=other_cadre, to_owner=third, reason="再转交")
    kinds = list(concern.events.values_list("kind", flat=True))
    assert kinds == ["created", "handover", "handover"]
    assert concern.received_by == cadre
    assert Concern.objects.visible_to(other_cadre).filter(pk=concern.pk).exists()


def test_leader_in_scope_can_reassign(concern, town_leader, other_cadre):
    concern = concern_handover(concern=concern, actor=town_leader, to_owner=other_cadre, reason="逾期，改派")
    assert concern.owner == other_cadre


@pytest.mark.parametrize(
    "problem", ["same_owner", "inactive", "other_district", "no_reason", "closed", "not_owner"]
)
def test_bad_handovers_are_refused(concern, cadre, other_cadre, problem):
    target, reason, actor = other_cadre, "转交", cadre
    if problem == "same_owner":
        target = cadre
    elif problem == "inactive":
        target = CadreFactory(unit=cadre.unit, is_active=False)
    elif problem == "other_district":
        target = CadreFactory(unit=TownFactory(parent=DistrictFactory()))
    elif problem == "no_reason":
        reason = "   "
    elif problem == "closed":
        Concern.objects.filter(pk=concern.pk).update(status="closed", closed_at="2026-11-01T10:00+08:00")
    elif problem == "not_owner":
        actor = other_cadre
        target = CadreFactory(unit=cadre.unit)
    _refusal(concern_handover, concern=concern, actor=actor, to_owner=target, reason=reason)
    concern.refresh_from_db()
    assert concern.owner == cadre
    assert not concern.events.filter(kind="handover").exists()


# --- escalation, edits, deletion ---


def test_escalation_is_noted(concern, cadre):
    concern = concern_escalate(
        concern=concern, actor=cadre, escalated_to="区人社局劳动监察大队", note="企业拒不整改"
    )
    assert concern.escalated_to == "区人社局劳动监察大队"
    event = concern.events.get(kind=ConcernEvent.Kind.ESCALATED)
    assert "区人社局劳动监察大队" in event.note and "企业拒不整改" in event.note
    assert (
        _refusal(concern_escalate, concern=concern, actor=cadre, escalated_to=" ").code
        == "escalated_to_required"
    )


def test_edit_keeps_the_deadline_and_says_so(concern, cadre):
    due = concern.due_date
    concern = concern_update(
        concern=concern, actor=cadre, expected_version=1, category="wages", description="工资拖欠三个月"
    )
    assert concern.due_date == due and concern.category == "wages" and concern.version == 2
    note = concern.events.get(kind="note").note
    assert f"{due:%Y-%m-%d}" in note


def test_stale_edit_is_refused_and_changes_nothing(concern, cadre):
    concern_escalate(concern=concern, actor=cadre, escalated_to="上级工会")
    with pytest.raises(Conflict):
        concern_update(concern=concern, actor=cadre, expected_version=1, description="新的描述")
    concern.refresh_from_db()
    assert concern.description == "职工反映加班费计算不清。"


def test_soft_delete_by_owner_or_leader_only(concern, cadre, other_cadre, town_leader):
    assert _refusal(concern_delete, concern=concern, actor=other_cadre).code == "not_allowed"
    concern_delete(concern=concern, actor=town_leader)
    concern.refresh_from_db()
    assert concern.is_deleted
    assert not Concern.objects.visible_to(cadre).filter(pk=concern.pk).exists()
