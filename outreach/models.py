from __future__ import annotations

import datetime
import uuid
from pathlib import PurePath

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from unions.models import Cadre, DistrictUnion, EnterpriseUnion


class VisitQuerySet(models.QuerySet):
    def alive(self) -> VisitQuerySet:
        return self.filter(is_deleted=False)

    def done(self) -> VisitQuerySet:
        """Visits that count as a day done: submitted or reviewed (returned ones must be resubmitted)."""
        return self.filter(status__in=[Visit.Status.SUBMITTED, Visit.Status.REVIEWED])

    def in_month(self, year: int, month: int) -> VisitQuerySet:
        return self.filter(date__year=year, date__month=month)

    def in_units(self, units) -> VisitQuerySet:
        return self.filter(Q(town__in=units) | Q(cadre__unit__in=units))

    def visible_to(self, cadre: Cadre) -> VisitQuerySet:
        """What a user may open: a leader his or her unit's subtree (by host town or author's
        unit); a cadre his or her own visits and those he or she took part in."""
        qs = self.alive()
        if cadre.is_leader:
            return qs.in_units(cadre.scope_units())
        return qs.filter(Q(cadre=cadre) | Q(companions=cadre)).distinct()


class Visit(models.Model):
    class Kind(models.TextChoices):
        CHAIRMAN = "chairman", _("A day as a grassroots union chairman")
        OFFICE = "office", _("A day as an enterprise union office cadre")
        WORKER = "worker", _("A day as an ordinary worker")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned for changes")
        REVIEWED = "reviewed", _("Reviewed")

    class Topic(models.TextChoices):
        OFFICE_ROLE = "office_role", _("Making good use of the union work office")
        IDEOLOGY = "ideology", _("Workers' ideological work")
        ACTIVITIES = "activities", _("Union activities and resolving workers' disputes")
        LEDGERS = "ledgers", _("Objective ledgers and records")
        LEADERSHIP = "leadership", _("Winning the enterprise leadership's support")
        OTHER = "other", _("Other")

    kind = models.CharField(_("kind of day"), max_length=10, choices=Kind)
    date = models.DateField(_("date"))
    cadre = models.ForeignKey(Cadre, verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="visits")
    companions = models.ManyToManyField(
        Cadre, verbose_name=_("companions"), blank=True, related_name="accompanied_visits"
    )
    host_union = models.ForeignKey(
        DistrictUnion,
        verbose_name=_("host federation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hosted_visits",
    )
    host_enterprise = models.ForeignKey(
        EnterpriseUnion,
        verbose_name=_("host enterprise"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visits",
    )
    # Where the visit happened (the host federation, or the host enterprise's town),
    # stored so that lists and monthly reports filter and group without joins.
    town = models.ForeignKey(
        DistrictUnion,
        verbose_name=_("town / zone"),
        on_delete=models.PROTECT,
        related_name="visits_in_town",
        editable=False,
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.DRAFT)
    topics = models.JSONField(_("topics discussed"), default=list, blank=True)
    people_met = models.TextField(_("people met"), blank=True)
    work_done = models.TextField(_("what was done"))
    answered_questions = models.TextField(_("questions answered on site"), blank=True)
    worker_opinions = models.TextField(_("workers' opinions (民情民意)"), blank=True)
    suggestions = models.TextField(_("suggestions for decision makers"), blank=True)
    reflections = models.TextField(_("reflections (体会)"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewer = models.ForeignKey(
        Cadre,
        verbose_name=_("reviewer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviewed_visits",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_comment = models.TextField(_("review comment"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    is_deleted = models.BooleanField(_("deleted"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = VisitQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[companions], excluded_fields=["version"])

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(host_union__isnull=False, host_enterprise__isnull=True)
                | Q(host_union__isnull=True, host_enterprise__isnull=False),
                name="outreach_visit_exactly_one_host",
                violation_error_message=_("Choose exactly one host: a federation or an enterprise."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["chairman", "office", "worker"]),
                name="outreach_visit_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["planned", "draft", "submitted", "returned", "reviewed"]),
                name="outreach_visit_status_valid",
            ),
        ]
        indexes = [
            # visit list and monthly report: by area and month
            models.Index(fields=["town", "date"], name="outreach_visit_town_date"),
            # my month and the completion matrix: by cadre and month
            models.Index(fields=["cadre", "date"], name="outreach_visit_cadre_date"),
            models.Index(fields=["date", "kind"], name="outreach_visit_date_kind"),
            # monthly report coverage: has this enterprise had a done visit in a period?
            models.Index(
                fields=["host_enterprise", "date"],
                condition=Q(is_deleted=False, status__in=["submitted", "reviewed"]),
                name="outreach_visit_done_host_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()} · {self.host}"

    def save(self, *args, **kwargs):
        self.town_id = self.derive_town_id()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("outreach:visit_detail", args=[self.pk])

    @property
    def host(self) -> DistrictUnion | EnterpriseUnion | None:
        return self.host_enterprise or self.host_union

    def derive_town_id(self) -> int | None:
        """The town/zone of the host. Queries the enterprise if it is not loaded."""
        if self.host_enterprise_id:
            return self.host_enterprise.district_union_id
        return self.host_union_id

    def is_editable_by(self, cadre: Cadre) -> bool:
        """Author and companions edit until the visit is reviewed."""
        if self.is_deleted or self.status == self.Status.REVIEWED:
            return False
        return self.cadre_id == cadre.pk or any(c.pk == cadre.pk for c in self.companions.all())

    @property
    def counts_as_done(self) -> bool:
        return self.status in (self.Status.SUBMITTED, self.Status.REVIEWED)


def visit_photo_path(instance: VisitPhoto, filename: str) -> str:
    # Generated names: the uploaded file name is never used on disk.
    suffix = PurePath(filename).suffix.lower()[:8]
    return f"visit_photos/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class VisitPhoto(models.Model):
    visit = models.ForeignKey(Visit, verbose_name=_("visit"), on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to=visit_photo_path)
    uploaded_by = models.ForeignKey(
        Cadre, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("visit photo")
        verbose_name_plural = _("visit photos")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return str(_("Photo %(id)s") % {"id": self.pk})


class Category(models.TextChoices):
    ANSWERED = "answered", _("Question answered on site")
    CONCERN = "concern", _("Worker concern")
    DISPUTE = "dispute", _("Dispute (矛盾纠纷)")
    HARDSHIP = "hardship", _("Hardship aid (困难帮扶)")
    LEGAL_AID = "legal_aid", _("Legal aid (法律援助)")
    WAGES = "wages", _("Wages and collective negotiation")
    SUGGESTION = "suggestion", _("Suggestion")
    OTHER = "other", _("Other")


class CategoryTimeLimit(models.Model):
    """限时办结: how many working days a problem of each category may stay open."""

    category = models.CharField(_("category"), max_length=20, choices=Category, unique=True)
    working_days = models.PositiveSmallIntegerField(_("time limit (working days)"))

    class Meta:
        verbose_name = _("time limit")
        verbose_name_plural = _("time limits")
        ordering = ["category"]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.working_days}"


class ConcernQuerySet(models.QuerySet):
    def alive(self) -> ConcernQuerySet:
        return self.filter(is_deleted=False)

    def in_units(self, units) -> ConcernQuerySet:
        return self.filter(Q(town__in=units) | Q(owner__unit__in=units))

    def visible_to(self, cadre: Cadre) -> ConcernQuerySet:
        """A leader: the unit's subtree; a cadre: problems he or she owns, first received,
        or handed over to someone else (kept readable so the hand-over can be followed up)."""
        qs = self.alive()
        if cadre.is_leader:
            return qs.in_units(cadre.scope_units())
        handed_over = ConcernEvent.objects.filter(
            concern=OuterRef("pk"), kind=ConcernEvent.Kind.HANDOVER, from_owner=cadre
        )
        return qs.filter(Q(owner=cadre) | Q(received_by=cadre) | Exists(handed_over))

    def pending(self) -> ConcernQuerySet:
        return self.filter(status__in=[Concern.Status.OPEN, Concern.Status.IN_PROGRESS])

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
        return self.filter(created_at__year=year, created_at__month=month)

    def for_list(self) -> ConcernQuerySet:
        """What the list pages render: the enterprise, town and owner of each problem."""
        return self.select_related("enterprise", "town", "owner", "owner__unit")


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

    Category = Category

    visit = models.ForeignKey(
        Visit,
        verbose_name=_("visit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="concerns",
    )
    category = models.CharField(_("category"), max_length=20, choices=Category)
    description = models.TextField(_("description"))
    enterprise = models.ForeignKey(
        EnterpriseUnion,
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="concerns",
    )
    # Area the problem belongs to (enterprise's town, else the visit's, else the owner's
    # unit), stored for scoping and reports.
    town = models.ForeignKey(
        DistrictUnion,
        verbose_name=_("town / zone"),
        on_delete=models.PROTECT,
        related_name="concerns_in_town",
        editable=False,
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
        ]
        indexes = [
            models.Index(fields=["owner", "status", "due_date"], name="outreach_concern_owner"),
            models.Index(fields=["town", "created_at"], name="outreach_concern_town"),
            models.Index(fields=["status", "due_date"], name="outreach_concern_due"),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} · {self.description[:30]}"

    def save(self, *args, **kwargs):
        self.town_id = self.derive_town_id()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("outreach:concern_detail", args=[self.pk])

    def derive_town_id(self) -> int:
        """Queries the related enterprise, visit or owner when not loaded."""
        if self.enterprise_id:
            return self.enterprise.district_union_id
        if self.visit_id:
            return self.visit.town_id
        return self.owner.unit_id

    def is_overdue(self, today) -> bool:
        return self.is_pending and self.due_date < today

    @property
    def is_pending(self) -> bool:
        return self.status in (self.Status.OPEN, self.Status.IN_PROGRESS)

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
        contains the problem's town see it in full. Queries once for a leader."""
        if self.owner_id == cadre.pk:
            return True
        return cadre.is_leader and cadre.scope_units().filter(pk=self.town_id).exists()

    def phone_for(self, cadre: Cadre) -> str:
        return self.worker_phone if self.phone_visible_to(cadre) else self.masked_phone

    @property
    def masked_phone(self) -> str:
        phone = self.worker_phone
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

    concern = models.ForeignKey(
        Concern, verbose_name=_("problem"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("event"), max_length=10, choices=Kind)
    actor = models.ForeignKey(Cadre, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+")
    from_owner = models.ForeignKey(
        Cadre, verbose_name=_("from"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_owner = models.ForeignKey(
        Cadre, verbose_name=_("to"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    from_status = models.CharField(_("from status"), max_length=12, blank=True)
    to_status = models.CharField(_("to status"), max_length=12, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("problem event")
        verbose_name_plural = _("problem events")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def from_status_label(self) -> str:
        return Concern.Status(self.from_status).label if self.from_status else ""

    @property
    def to_status_label(self) -> str:
        return Concern.Status(self.to_status).label if self.to_status else ""


class EvaluationRule(models.Model):
    """效能考评: the weights of the monthly score, kept in one row the admin edits."""

    completion_weight = models.PositiveSmallIntegerField(
        _("weight of completion of the three days"), default=50
    )
    on_time_weight = models.PositiveSmallIntegerField(_("weight of problems closed on time"), default=30)
    satisfaction_weight = models.PositiveSmallIntegerField(_("weight of workers' satisfaction"), default=20)

    class Meta:
        verbose_name = _("evaluation rule")
        verbose_name_plural = _("evaluation rule")
        constraints = [
            models.CheckConstraint(
                condition=Q(completion_weight__gt=0) | Q(on_time_weight__gt=0) | Q(satisfaction_weight__gt=0),
                name="outreach_evaluationrule_some_weight",
                violation_error_message=_("At least one weight must be above zero."),
            ),
        ]

    def __str__(self) -> str:
        return str(_("Evaluation rule"))

    @classmethod
    def current(cls) -> EvaluationRule:
        """The rule in force (created with the default weights on first use). Queries once."""
        rule, _created = cls.objects.get_or_create(pk=1)
        return rule
