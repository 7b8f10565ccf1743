"""限时办结 on China's working-day calendar: holidays, make-up days and the admin's overrides."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from outreach.models import CategoryTimeLimit, Concern, WorkingDayOverride
from outreach.services import concern_create
from outreach.tests.factories import ConcernFactory, VisitFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def _create(cadre, received_on, category="dispute"):
    return concern_create(
        received_by=cadre, category=category, description="职工反映", received_on=received_on
    )


@pytest.mark.parametrize(
    ("days", "received_on", "expected"),
    [
        (3, D(2025, 9, 30), D(2025, 10, 11)),  # 国庆: 9, 10 and the make-up Saturday 11 October
        (5, D(2026, 2, 12), D(2026, 2, 26)),  # 春节: 13, 14 (make-up Saturday), then 24, 25, 26
    ],
)
def test_a_deadline_across_a_holiday_lands_on_the_right_day(cadre, days, received_on, expected):
    CategoryTimeLimit.objects.filter(category="dispute").update(working_days=days)
    assert _create(cadre, received_on).due_date == expected


def test_an_override_for_a_year_the_calendar_does_not_know(cadre):
    # 2099's holidays are not published yet: the admin enters the 国庆 week and a make-up Saturday.
    for i in range(7):
        WorkingDayOverride.objects.create(
            date=D(2099, 10, 1) + datetime.timedelta(days=i), is_working_day=False
        )
    WorkingDayOverride.objects.create(date=D(2099, 10, 10), is_working_day=True, note="国庆调休")
    CategoryTimeLimit.objects.filter(category="dispute").update(working_days=2)
    assert _create(cadre, D(2099, 9, 30)).due_date == D(2099, 10, 9)
    assert _create(cadre, D(2099, 10, 9)).due_date == D(2099, 10, 12)  # Fri + Sat worked → Monday 12


def test_an_override_of_an_official_working_day(cadre):
    WorkingDayOverride.objects.create(date=D(2026, 11, 17), is_working_day=False, note="区运动会")
    CategoryTimeLimit.objects.filter(category="dispute").update(working_days=1)
    assert _create(cadre, D(2026, 11, 16)).due_date == D(2026, 11, 18)


def _recorded(concern, day: datetime.date):
    # As if recorded at noon that day in Asia/Shanghai: received that day, or on the day of
    # its visit (the received date concern_create gives it).
    noon = datetime.datetime.combine(day, datetime.time(12), tzinfo=timezone.get_default_timezone())
    received_on = min(concern.visit.date, day) if concern.visit_id else day
    Concern.objects.filter(pk=concern.pk).update(created_at=noon, received_on=received_on)


def test_deadlines_move_only_when_the_admin_asks(cadre):
    CategoryTimeLimit.objects.filter(category="dispute").update(working_days=1)
    # Recorded under the old weekend-only rule: Friday 13 February 2026 + 1 = Monday 16 (in 春节).
    stale = ConcernFactory(category="dispute", due_date=D(2026, 2, 16))
    _recorded(stale, D(2026, 2, 13))
    right = ConcernFactory(category="dispute", due_date=D(2026, 2, 14))
    _recorded(right, D(2026, 2, 13))
    closed = ConcernFactory(category="dispute", due_date=D(2026, 2, 16), status="resolved")
    _recorded(closed, D(2026, 2, 13))
    # A problem raised at a visit counts from the visit's day, even if written down later.
    visit = VisitFactory(date=D(2026, 2, 27))
    from_visit = ConcernFactory(category="dispute", visit=visit, due_date=D(2026, 3, 3))
    _recorded(from_visit, D(2026, 3, 2))

    out = StringIO()
    call_command("recompute_deadlines", "--dry-run", stdout=out)
    assert "2 个期限将会调整" in out.getvalue()
    assert "2026-02-16 → 2026-02-14" in out.getvalue()
    stale.refresh_from_db()
    assert stale.due_date == D(2026, 2, 16)

    out = StringIO()
    call_command("recompute_deadlines", stdout=out)
    assert "已调整 2 个期限" in out.getvalue()
    for concern, expected in [(stale, D(2026, 2, 14)), (right, D(2026, 2, 14)), (closed, D(2026, 2, 16))]:
        concern.refresh_from_db()
        assert concern.due_date == expected
    from_visit.refresh_from_db()
    assert from_visit.due_date == D(2026, 2, 28)  # Friday 27 + the make-up Saturday
    assert stale.history.first().history_change_reason == "按工作日历重新计算期限"

    out = StringIO()
    call_command("recompute_deadlines", stdout=out)
    assert "已调整 0 个期限" in out.getvalue()
