"""Notices: one row per event that needs a person (a visit returned, a problem handed over, a
deadline near, the month's days behind…), shown in the inbox and e-mailed once.

Exactly once by construction: each row has a natural key (recipient × kind × key, the key
naming the object and the period), unique in the database, and is inserted or ignored; the
e-mail's state lives in the same row, so a rerun or an overlapping run finds the work done."""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lib.fields import optional_fk
from unions.models import Cadre, DistrictUnion


class NoticeQuerySet(models.QuerySet):
    def for_inbox(self, cadre: Cadre) -> NoticeQuerySet:
        """The cadre's own notices, newest first (digest mails are not listed: their notices are)."""
        return (
            self.filter(recipient=cadre)
            .exclude(kind=Notice.Kind.DAILY_DIGEST)
            .select_related("visit", "concern", "unit")
            .order_by("-created_at", "-id")
        )

    def unread(self) -> NoticeQuerySet:
        return self.filter(read_at__isnull=True)

    def to_mail(self, now: datetime.datetime) -> NoticeQuerySet:
        """Mails waiting to go out and not claimed by a run in progress (its lease not expired)."""
        return self.filter(mail_state=Notice.MailState.PENDING).filter(
            Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
        )


class Notice(models.Model):
    class Kind(models.TextChoices):
        VISIT_RETURNED = "visit_returned", _("My visit was returned")
        VISIT_REVIEWED = "visit_reviewed", _("My visit was reviewed")
        PROBLEM_HANDED_OVER = "problem_handed_over", _("A problem was handed over to me")
        PROBLEM_ESCALATED = "problem_escalated", _("A problem of my unit was escalated")
        PROBLEM_DUE_SOON = "problem_due_soon", _("A problem of mine is due in 2 working days")
        PROBLEM_OVERDUE = "problem_overdue", _("A problem of mine is overdue")
        DAYS_MISSING = "days_missing", _("My three days of the month are not all done")
        CADRES_BEHIND = "cadres_behind", _("Cadres of my unit are behind on the three days")
        WEEKLY_DIGEST = "weekly_digest", _("Weekly digest of my area")
        MONTHLY_REPORT = "monthly_report", _("Monthly report of my unit")
        DAILY_DIGEST = "daily_digest", _("Daily digest")

    class MailState(models.TextChoices):
        PENDING = "pending", _("waiting to be sent")
        SENT = "sent", _("sent")
        IN_DIGEST = "in_digest", _("waiting for the daily digest")
        DIGESTED = "digested", _("sent in a daily digest")
        OFF = "off", _("not mailed")

    recipient = models.ForeignKey(
        Cadre, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="notices"
    )
    kind = models.CharField(_("kind"), max_length=24, choices=Kind)
    key = models.CharField(
        _("event key"), max_length=80, help_text=_("The object and period the notice is about.")
    )
    visit = optional_fk("outreach.Visit", _("visit"), related_name="+", on_delete=models.SET_NULL)
    concern = optional_fk("outreach.Concern", _("problem"), related_name="+", on_delete=models.SET_NULL)
    unit = optional_fk(DistrictUnion, _("unit"), related_name="+", on_delete=models.SET_NULL)
    period = models.DateField(_("period"), null=True, blank=True)
    text = models.TextField(_("text"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    mail_state = models.CharField(
        _("e-mail state"), max_length=10, choices=MailState, default=MailState.PENDING
    )
    mail_attempts = models.PositiveSmallIntegerField(_("delivery attempts"), default=0)
    mail_error = models.TextField(_("last delivery error"), blank=True)
    claimed_until = models.DateTimeField(
        _("claimed by a run until"),
        null=True,
        blank=True,
        help_text=_("A run that sends the mail holds it until then; another run leaves it alone."),
    )
    mailed_at = models.DateTimeField(_("mailed at"), null=True, blank=True)
    digest = optional_fk(
        "self", _("sent in digest"), related_name="digested_notices", on_delete=models.SET_NULL
    )

    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "kind", "key"], name="outreach_notice_once"),
            models.CheckConstraint(
                condition=Q(mail_state__in=["pending", "sent", "in_digest", "digested", "off"]),
                name="outreach_notice_mail_state_valid",
            ),
        ]
        indexes = [
            # the bell: a person's unread notices
            models.Index(fields=["recipient", "read_at"], name="outreach_notice_unread"),
            # run_notices: the mails waiting
            models.Index(fields=["mail_state", "claimed_until"], name="outreach_notice_to_mail"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.recipient_id}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NoticePreference(models.Model):
    """How a person wants notices by e-mail; without a row: every kind, one mail per event."""

    cadre = models.OneToOneField(
        Cadre, verbose_name=_("cadre"), on_delete=models.CASCADE, related_name="notice_preference"
    )
    muted_kinds = models.JSONField(
        _("kinds not e-mailed"), default=list, blank=True, help_text=_("Still shown in the inbox.")
    )
    daily_digest = models.BooleanField(
        _("one daily digest instead of a mail per event"),
        default=False,
        help_text=_("Sent once a day, in the morning, when something happened."),
    )

    class Meta:
        verbose_name = _("notice preference")
        verbose_name_plural = _("notice preferences")

    def __str__(self) -> str:
        return str(self.cadre)

    def mails(self, kind: str) -> bool:
        return kind not in self.muted_kinds


# Kinds that a daily digest gathers (the digests and the monthly report always go on their own).
EVENT_KINDS = [
    kind
    for kind in Notice.Kind
    if kind not in (Notice.Kind.WEEKLY_DIGEST, Notice.Kind.MONTHLY_REPORT, Notice.Kind.DAILY_DIGEST)
]
