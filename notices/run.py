"""One run of run_notices: create the notices that the day brings, then mail every notice
waiting, each exactly once.

Exactly once, also when two runs overlap: every notice has its natural key (unique), and a
mail is claimed before it is sent by a conditional UPDATE that only one run can win (a lease:
`claimed_until`; a run that dies mid-way frees its mails when the lease ends). A failed SMTP
delivery frees the claim and keeps the notice waiting, with the error, for the next run."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lib.months import add_months, month_label
from outreach.models import EVENT_KINDS, Concern, Notice, Visit
from outreach.reminders import kinds_done_by, missing_kinds, notices_of_the_day
from outreach.services.notices import notices_add
from reports import xlsx
from reports.report import build_monthly_report
from unions.models import Cadre

from .mail import message_for

LEASE = datetime.timedelta(minutes=10)  # far longer than one mail takes, even to a slow server
DIGEST_HOUR = 7  # daily and weekly digests and the monthly report go out from 07:00 local time
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class RunResult:
    sent: int = 0
    failed: int = 0
    not_mailed: int = 0
    lines: list[str] = field(default_factory=list)


def run_notices(
    *, today: datetime.date, digests_due: bool, dry_run: bool = False, say: Callable[[str], None] = print
) -> RunResult:
    """`digests_due`: past DIGEST_HOUR (or a run for a given day): the day's digests and, from
    the 1st, last month's report go out. A dry run writes and sends nothing; it says what it would."""
    result = RunResult()
    with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
        notices_of_the_day(today)
        if digests_due:
            notices_add(_leader_notices(today))
        if dry_run:
            _send_waiting(today, result, say, dry_run=True)
            transaction.set_rollback(True)
            return result
    with translation.override(settings.LANGUAGE_CODE):
        _send_waiting(today, result, say)
        if digests_due and _gather_daily_digests(today):
            _send_waiting(today, result, say)
    return result


# --- What leaders get: the weekly digest and, from the 1st, last month's report -------------


def _leader_notices(today: datetime.date) -> list[Notice]:
    monday = today - datetime.timedelta(days=today.weekday())
    iso_year, iso_week, _day = today.isocalendar()
    last_month = add_months(today.replace(day=1), -1)
    done = kinds_done_by(today)
    rows = []
    for leader in Cadre.objects.active().filter(role=Cadre.Role.LEADER).select_related("unit"):
        rows.append(
            Notice(
                recipient=leader,
                kind=Notice.Kind.WEEKLY_DIGEST,
                key=f"{iso_year}W{iso_week:02d}",
                unit=leader.unit,
                period=monday,
                text=_weekly_text(leader, today, done),
            )
        )
        rows.append(
            Notice(
                recipient=leader,
                kind=Notice.Kind.MONTHLY_REPORT,
                key=f"u{leader.unit_id}-{month_label(last_month)}",
                unit=leader.unit,
                period=last_month,
                text=_("The monthly report of %(unit)s for %(month)s is attached.")
                % {"unit": leader.unit.name, "month": month_label(last_month)},
            )
        )
    return rows


def _weekly_text(leader: Cadre, today: datetime.date, done: dict[int, set[str]]) -> str:
    """Visits waiting for review, overdue problems, cadres behind on the month: in the leader's
    scope. Queries four times."""
    waiting = Visit.objects.review_queue(leader).count()
    overdue = Concern.objects.visible_to(leader).overdue(today).count()
    cadres = Cadre.objects.active().exclude(role=Cadre.Role.ADMIN).filter(pk__in=leader.scope_cadre_ids)
    behind = [c.name for c in cadres.order_by("name") if missing_kinds(done.get(c.pk, set()))]
    lines = [
        _("Visits submitted and waiting for review: %(n)d") % {"n": waiting},
        _("Overdue problems: %(n)d") % {"n": overdue},
        _("Cadres who have not done all three days this month: %(n)d") % {"n": len(behind)},
    ]
    if behind:
        lines.append("、".join(behind[:30]) + ("…" if len(behind) > 30 else ""))
    return "\n".join(lines)


# --- Mailing -----------------------------------------------------------------------------


def _send_waiting(today: datetime.date, result: RunResult, say, dry_run: bool = False) -> None:
    reports: dict[tuple[int, datetime.date], bytes] = {}
    waiting = Notice.objects.to_mail(timezone.now()).order_by("id").values_list("pk", flat=True)
    for pk in list(waiting):
        lease_end = timezone.now() + LEASE
        if not Notice.objects.to_mail(timezone.now()).filter(pk=pk).update(claimed_until=lease_end):
            continue  # another run took it
        notice = Notice.objects.select_related(
            "recipient__user",
            "recipient__unit",
            "recipient__notice_preference",
            "visit__host_union",
            "visit__host_enterprise",
            "concern",
            "unit",
        ).get(pk=pk)
        _deliver(notice, today, result, say, reports, dry_run)


def _deliver(notice: Notice, today, result: RunResult, say, reports: dict, dry_run: bool) -> None:
    cadre = notice.recipient
    preference = getattr(cadre, "notice_preference", None)  # none: every kind, one mail per event
    address = cadre.user.email if cadre.user.is_active else ""
    if not cadre.is_active or not address or (preference and not preference.mails(notice.kind)):
        reason = _("no e-mail address") if not address or not cadre.is_active else _("not wanted by e-mail")
        _finish(notice, Notice.MailState.OFF)
        result.not_mailed += 1
        say(
            _("Not mailed to %(name)s (%(reason)s): %(kind)s.")
            % {"name": cadre.name, "reason": reason, "kind": notice.get_kind_display()}
        )
        return
    if preference and preference.daily_digest and notice.kind in EVENT_KINDS:
        _finish(notice, Notice.MailState.IN_DIGEST)
        return
    attachment = None
    if notice.kind == Notice.Kind.MONTHLY_REPORT and notice.unit is not None and notice.period:
        key = (notice.unit_id, notice.period)
        if key not in reports:
            reports[key] = xlsx.monthly_workbook(build_monthly_report(notice.unit, notice.period, today))
        name = f"monthly-report-{month_label(notice.period)}-{notice.unit_id}.xlsx"
        attachment = (name, reports[key], XLSX)
    message = message_for(notice, attachment)
    if dry_run:
        say(
            _("Would send to %(name)s <%(email)s>: %(subject)s")
            % {"name": cadre.name, "email": address, "subject": message.subject}
        )
        result.sent += 1
        return
    try:
        message.send()
    except OSError as error:  # smtplib's errors and a refused or timed-out connection are OSErrors
        Notice.objects.filter(pk=notice.pk).update(
            claimed_until=None,
            mail_attempts=notice.mail_attempts + 1,
            mail_error=f"{timezone.now():%Y-%m-%d %H:%M} {type(error).__name__}: {error}"[:2000],
        )
        result.failed += 1
        say(
            _("Failed to send to %(name)s <%(email)s>, retried next run: %(error)s")
            % {"name": cadre.name, "email": address, "error": error}
        )
        return
    _finish(notice, Notice.MailState.SENT, mailed_at=timezone.now(), mail_attempts=notice.mail_attempts + 1)
    result.sent += 1
    say(
        _("Sent to %(name)s <%(email)s>: %(subject)s")
        % {"name": cadre.name, "email": address, "subject": message.subject}
    )


def _finish(notice: Notice, state: str, **fields) -> None:
    Notice.objects.filter(pk=notice.pk).update(mail_state=state, claimed_until=None, mail_error="", **fields)


def _gather_daily_digests(today: datetime.date) -> bool:
    """Each person's notices waiting for the daily digest go into today's digest, once: a digest
    already sent (or being sent) today leaves the newer ones for tomorrow's."""
    gathered = False
    people = Notice.objects.filter(mail_state=Notice.MailState.IN_DIGEST).values_list(
        "recipient_id", flat=True
    )
    for recipient_id in sorted(set(people)):
        with transaction.atomic():
            key = f"{today:%Y%m%d}"
            notices_add(
                [Notice(recipient_id=recipient_id, kind=Notice.Kind.DAILY_DIGEST, key=key, period=today)]
            )
            digest = Notice.objects.select_for_update().get(
                recipient_id=recipient_id, kind=Notice.Kind.DAILY_DIGEST, key=key
            )
            busy = digest.claimed_until is not None and digest.claimed_until > timezone.now()
            if digest.mail_state != Notice.MailState.PENDING or busy:
                continue
            Notice.objects.filter(recipient_id=recipient_id, mail_state=Notice.MailState.IN_DIGEST).update(
                mail_state=Notice.MailState.DIGESTED, digest=digest
            )
            gathered = True
    return gathered
