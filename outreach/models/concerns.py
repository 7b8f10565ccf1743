"""Problems (诉求) raised at visits: 首问负责, 限时办结, and their timeline."""

from __future__ import annotations

import datetime

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lib.fields import optional_fk
from lib.history import history_entries
from lib.months import month_end
from unions.models import Cadre, DistrictUnion, EnterpriseUnion

from .time_limits import Category, CategoryTimeLimit
from .visits import Visit


class ConcernQuerySet(models.QuerySet):
    def alive(self) -> ConcernQuerySet:
        return self.filter(is_deleted=False)

    def in_units(self, unit_ids, cadre_ids) -> ConcernQuerySet:
        """In one of the units or owned by one of their cadres, both as literal ids (see
        VisitQuerySet.in_units)."""
        return self.filter(Q(town_id__in=unit_ids) | Q(owner_id__in=cadre_ids))

    def visible_to(self, cadre: Cadre) -> ConcernQuerySet:
        """A leader: the unit's subtree; a cadre: problems he or she owns, first received,
        or handed over to someone else (kept readable so the hand-over can be followed up)."""
        qs = self.alive()
        if cadre.is_leader:
            return qs.in_units(cadre.scope_unit_ids, cadre.scope_cadre_ids)
        # The handed-over ones as literal ids (one query): an EXISTS inside the OR would make
        # PostgreSQL test every problem of the table (seconds at a million problems).
        handed_over = ConcernEvent.objects.filter(kind=ConcernEvent.Kind.HANDOVER, from_owner_id=cadre.pk)
        ids = list(handed_over.values_list("concern_id", flat=True).distinct())
        return qs.filter(Q(owner_id=cadre.pk) | Q(received_by_id=cadre.pk) | Q(pk__in=ids))

    def pending(self) -> ConcernQuerySet:
        """Still being worked on (open or in progress)."""
        return self.filter(status__in=Concern.PENDING_STATUSES)

    def finished(self) -> ConcernQuerySet:
        """Resolved or closed."""
        return self.exclude(status__in=Concern.PENDING_STATUSES)

    def overdue(self, today) -> ConcernQuerySet:
        return self.pending().filter(due_date__lt=today)

    def due_by(self, last_day) -> ConcernQuerySet:
        """Pending problems due on or before `last_day` (the overdue ones included)."""
        return self.pending().filter(due_date__lte=last_day)

    def due_this_week(self, today) -> ConcernQuerySet:
        """Pending problems due from today to this week's Sunday (not yet overdue)."""
        sunday = today + datetime.timedelta(days=6 - today.weekday())
        return self.pending().filter(due_date__gte=today, due_date__lte=sunday)

    def received_in_month(self, year: int, month: int) -> ConcernQuerySet:
        """Problems whose received date (the visit's date) falls in the month, whenever typed."""
        first = datetime.date(year, month, 1)
        return self.filter(received_on__gte=first, received_on__lte=month_end(first))

    def for_list(self) -> ConcernQuerySet:
        """What the list pages render: the enterprise, town and owner of each problem."""
        return self.select_related("enterprise", "town", "owner", "owner__unit")

    def for_detail(self) -> ConcernQuerySet:
        """The problem page: its people, its visit and its timeline."""
        from .referrals import Referral

        events = ConcernEvent.objects.select_related("actor", "from_owner", "to_owner", "referral")
        return self.select_related(
            "enterprise", "town", "owner__unit", "received_by__unit", "visit"
        ).prefetch_related(
            models.Prefetch("events", queryset=events),
            models.Prefetch("referrals", queryset=Referral.objects.alive().order_by("created_at", "id")),
        )


# The alive problems still being worked on (Concern.PENDING_STATUSES), as the partial indexes'
# condition: it must read as ConcernQuerySet.alive().pending() does for PostgreSQL to use them.
PENDING_ALIVE = Q(is_deleted=False, status__in=["open", "in_progress"])


class Concern(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        RESOLVED = "resolved", _("Resolved")
        CLOSED = "closed", _("Closed")

    class Satisfaction(models.TextChoices):
        SATISFIED = "satisfied", _("Satisfied")
        BASICALLY = "basically", _("Basically satisfied")
        UNSATISFIED = "unsatisfied", _("Not satisfied")

    PENDING_STATUSES = (Status.OPEN, Status.IN_PROGRESS)
    # Satisfied or basically satisfied: what the satisfaction rate counts.
    CONTENT = (Satisfaction.SATISFIED, Satisfaction.BASICALLY)

    Category = Category

    visit = optional_fk(Visit, _("visit"), related_name="concerns")
    category = models.CharField(_("category"), max_length=20, choices=Category)
    description = models.TextField(_("description"))
    enterprise = optional_fk(EnterpriseUnion, _("enterprise"), related_name="concerns")
    # Area the problem belongs to (enterprise's town, else the visit's, else the owner's
    # unit), stored for scoping and reports.
    town = models.ForeignKey(
        DistrictUnion,
        verbose_name=_("town / zone"),
        on_delete=models.PROTECT,
        related_name="concerns_in_town",
        editable=False,
    )
    # How many workers the problem concerns (wage arrears of 3 workers: 3); the report sums them.
    workers_affected = models.PositiveIntegerField(
        _("workers affected"), default=1, validators=[MinValueValidator(1), MaxValueValidator(1_000_000)]
    )
    worker_name = models.CharField(_("worker's name"), max_length=50, blank=True)
    worker_phone = models.CharField(_("worker's phone"), max_length=30, blank=True)
    answered_on_site = models.BooleanField(_("answered on the spot"), default=False)
    owner = models.ForeignKey(
        Cadre, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="owned_concerns"
    )
    received_by = models.ForeignKey(
        Cadre,
        verbose_name=_("first received by"),
        on_delete=models.PROTECT,
        related_name="received_concerns",
    )
    # The day the problem was raised: the visit's date, or the day the owner entered for a
    # problem received outside a visit. Its month is the problem's month in every report,
    # and the deadline counts from it (not from the day it was typed in).
    received_on = models.DateField(_("received on"), default=timezone.localdate)
    due_date = models.DateField(_("deadline"))
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.OPEN)
    resolution = models.TextField(_("resolution"), blank=True)
    escalated_to = models.CharField(_("escalated to"), max_length=200, blank=True)
    callback_note = models.TextField(_("call-back note"), blank=True)
    satisfaction = models.CharField(
        _("worker's satisfaction"), max_length=12, choices=Satisfaction, blank=True
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    is_deleted = models.BooleanField(_("deleted"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ConcernQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("problem")
        verbose_name_plural = _("problems")
        ordering = ["due_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["open", "in_progress", "resolved", "closed"]),
                name="outreach_concern_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(closed_at__isnull=False),
                name="outreach_concern_closed_has_time",
            ),
            models.CheckConstraint(
                condition=Q(workers_affected__gte=1), name="outreach_concern_workers_affected_positive"
            ),
        ]
        indexes = [
            models.Index(fields=["owner", "status", "due_date"], name="outreach_concern_owner"),
            models.Index(fields=["town", "received_on"], name="outreach_concern_town_recv"),
            models.Index(fields=["owner", "received_on"], name="outreach_concern_owner_recv"),
            models.Index(fields=["status", "due_date"], name="outreach_concern_due"),
            # what is pending in an area, by deadline (overdue now, due this week: the report,
            # the leader's home, the overdue filter): the area's own rows, not every pending one
            models.Index(
                fields=["town", "due_date"],
                condition=PENDING_ALIVE,
                name="outreach_concern_pending_town",
            ),
            models.Index(
                fields=["owner", "due_date"],
                condition=PENDING_ALIVE,
                name="outreach_concern_pending_owner",
            ),
            # the pending ones of any area by deadline, the area's columns in the index (the
            # leader's home "overdue now": walking every problem by deadline to find a district's
            # first ten pending read thousands of closed ones, more each year)
            models.Index(
                fields=["due_date", "id"],
                include=["town", "owner"],
                condition=PENDING_ALIVE,
                name="outreach_concern_pending_due",
            ),
            # the problem list's page of ids by deadline, its scope from the index alone
            models.Index(
                fields=["due_date", "id"],
                include=["town", "owner", "received_by", "is_deleted", "status"],
                name="outreach_concern_list",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} · {self.description[:30]}"

    def save(self, *args, **kwargs):
        self.town_id = self.derive_town_id()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("outreach:concern_detail", args=[self.pk])

    def derive_town(self) -> DistrictUnion:
        """The unit derive_town_id names. Queries the related enterprise's unit, the visit's
        town or the owner's unit when not loaded."""
        if self.enterprise_id:
            return self.enterprise.district_union
        if self.visit_id:
            return self.visit.town
        return self.owner.unit

    def time_limit(self, limits: dict) -> CategoryTimeLimit:
        """The time limit that applies to the problem today, from CategoryTimeLimit.objects.lookup
        over its town (the deadline was counted with the one of the day it was set). Needs town."""
        return CategoryTimeLimit.applying(limits, self.town, self.category)

    def derive_town_id(self) -> int:
        """Queries the related enterprise, visit or owner when not loaded."""
        if self.enterprise_id:
            return self.enterprise.district_union_id
        if self.visit_id:
            return self.visit.town_id
        return self.owner.unit_id

    def overdue_on(self, today: datetime.date) -> bool:
        return self.is_pending and self.due_date < today

    @property
    def is_overdue(self) -> bool:
        """Past its deadline and still pending, today in Asia/Shanghai."""
        return self.overdue_on(timezone.localdate())

    @property
    def is_pending(self) -> bool:
        return self.status in self.PENDING_STATUSES

    # 限时办结 workflow: open → in progress → resolved → closed. A problem answered on the
    # spot may be resolved straight away; a resolved one goes back to work if the call-back
    # shows it is not solved. Closed is final.
    TRANSITIONS = {
        "open": ("in_progress", "resolved"),
        "in_progress": ("resolved",),
        "resolved": ("closed", "in_progress"),
        "closed": (),
    }

    def allowed_transitions(self) -> tuple[str, ...]:
        return self.TRANSITIONS[self.status]

    def is_actionable_by(self, cadre: Cadre) -> bool:
        """Only the current owner works on a problem (首问负责 until handed over)."""
        return not self.is_deleted and self.owner_id == cadre.pk

    def is_editable_by(self, cadre: Cadre) -> bool:
        """The owner edits and escalates a problem until it is closed."""
        return self.is_actionable_by(cadre) and self.status != self.Status.CLOSED

    def can_hand_over(self, cadre: Cadre) -> bool:
        """The owner, or a leader whose scope holds the problem, hands an unclosed problem over.
        Callers have already checked that the problem is visible to the cadre."""
        if self.is_deleted or self.status == self.Status.CLOSED:
            return False
        return self.owner_id == cadre.pk or cadre.is_leader

    def can_delete(self, cadre: Cadre) -> bool:
        """The owner or a leader in scope (visibility checked by the caller)."""
        return not self.is_deleted and (self.owner_id == cadre.pk or cadre.is_leader)

    def phone_visible_to(self, cadre: Cadre) -> bool:
        """The worker's phone is personal data: only the owner and the leaders whose scope
        contains the problem's town see it in full. Queries once per request for a leader
        (Cadre.scope_unit_ids), so that a list of problems asks no more than one."""
        if self.owner_id is not None and self.owner_id == cadre.pk:
            return True
        return cadre.is_leader and self.town_id in cadre.scope_unit_ids

    def phone_for(self, cadre: Cadre) -> str:
        return self.worker_phone if self.phone_visible_to(cadre) else self.masked_phone

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.worker_phone)

    HISTORY_FIELDS = (
        "category",
        "description",
        "workers_affected",
        "enterprise",
        "worker_name",
        "worker_phone",
        "answered_on_site",
        "owner",
        "received_on",
        "due_date",
        "status",
        "resolution",
        "escalated_to",
        "callback_note",
        "satisfaction",
        "is_deleted",
    )

    def history_entries(self, *, phone_visible: bool) -> list[dict]:
        """Who changed what from what to what, newest first, the worker's phone masked unless
        `phone_visible` (phone_visible_to). Three queries whatever the history's length."""
        records = self.history.select_related("history_user__cadre").order_by("history_date", "history_id")
        shown = {} if phone_visible else {"worker_phone": mask_phone}
        return history_entries(records, Concern, self.HISTORY_FIELDS, shown)


def mask_phone(phone: str) -> str:
    """138****5678: enough to recognise a number, not to call it."""
    if len(phone) >= 7:
        return f"{phone[:3]}****{phone[-4:]}"
    return "****" if phone else ""


class ConcernEvent(models.Model):
    """The timeline of a problem: who did what, when."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Recorded")
        STATUS = "status", _("Status changed")
        HANDOVER = "handover", _("Handed over")
        ESCALATED = "escalated", _("Escalated")
        NOTE = "note", _("Note")
        REFERRAL = "referral", _("Referral")

    concern = models.ForeignKey(
        Concern, verbose_name=_("problem"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("event"), max_length=10, choices=Kind)
    actor = models.ForeignKey(Cadre, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+")
    from_owner = optional_fk(Cadre, _("from"), related_name="+")
    to_owner = optional_fk(Cadre, _("to"), related_name="+")
    from_status = models.CharField(_("from status"), max_length=12, blank=True)
    to_status = models.CharField(_("to status"), max_length=12, blank=True)
    note = models.TextField(_("note"), blank=True)
    # A referral's step (转介): the statuses above are then the referral's.
    referral = optional_fk(
        "outreach.Referral", _("referral"), related_name="events", on_delete=models.CASCADE
    )
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("problem event")
        verbose_name_plural = _("problem events")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d %H:%M}"

    def _status_label(self, value: str) -> str:
        if not value:
            return ""
        if self.kind == self.Kind.REFERRAL:
            from .referrals import Referral

            return Referral.Status(value).label
        return Concern.Status(value).label

    @property
    def from_status_label(self) -> str:
        return self._status_label(self.from_status)

    @property
    def to_status_label(self) -> str:
        return self._status_label(self.to_status)
