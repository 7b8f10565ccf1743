"""Visits: the 「一天」 records and their photos."""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import TruncWeek
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lib.fields import optional_fk
from lib.history import history_entries
from unions.models import Cadre, DistrictUnion, EnterpriseUnion


def _outer_date(name: str) -> models.ExpressionWrapper:
    # TruncWeek needs to know its argument is a date; an OuterRef does not say.
    return models.ExpressionWrapper(OuterRef(name), output_field=models.DateField())


def _done_in_plan_week() -> Exists:
    """Plans against what was done: a done day of the outer plan's kind, by its cadre, in the
    Monday-to-Sunday week of its planned date (the plan itself once done, or another record)."""
    monday = TruncWeek(_outer_date("planned_for"))
    return Exists(
        Visit.objects.alive()
        .done()
        .filter(cadre_id=OuterRef("cadre_id"), kind=OuterRef("kind"), date__gte=monday)
        .annotate(week=TruncWeek("date"))
        .filter(week=monday)
    )


def _planned_in_week() -> Exists:
    """A plan of the outer day's kind, by its cadre, for the week of the outer day's date."""
    monday = TruncWeek(_outer_date("date"))
    return Exists(
        Visit.objects.alive()
        .filter(cadre_id=OuterRef("cadre_id"), kind=OuterRef("kind"), planned_for__gte=monday)
        .annotate(week=TruncWeek("planned_for"))
        .filter(week=monday)
    )


def plan_kept() -> Q:
    """A plan done as planned: the plan was done, or a day of its kind was done in its week."""
    return Q(status__in=Visit.DONE_STATUSES) | Q(_done_in_plan_week())


def plan_missed(today) -> Q:
    """A plan missed: its date has passed and it was not kept."""
    return Q(planned_for__lt=today) & ~plan_kept()


def done_unplanned() -> Q:
    """A done day that was never a plan, with no plan of its kind for its week either."""
    return Q(status__in=Visit.DONE_STATUSES, planned_for__isnull=True) & ~Q(_planned_in_week())


def _flag(condition: Q) -> models.ExpressionWrapper:
    return models.ExpressionWrapper(condition, output_field=models.BooleanField())


class VisitQuerySet(models.QuerySet):
    def alive(self) -> VisitQuerySet:
        return self.filter(is_deleted=False)

    def done(self) -> VisitQuerySet:
        """Visits that count as a day done: submitted or reviewed (returned ones must be resubmitted)."""
        return self.filter(status__in=Visit.DONE_STATUSES)

    def plans(self) -> VisitQuerySet:
        """Visits that were planned (still a plan, or done or drafted since)."""
        return self.filter(planned_for__isnull=False)

    def plans_kept(self) -> VisitQuerySet:
        return self.plans().filter(plan_kept())

    def plans_missed(self, today) -> VisitQuerySet:
        return self.plans().filter(plan_missed(today))

    def done_unplanned(self) -> VisitQuerySet:
        return self.filter(done_unplanned())

    def with_plan_state(self, today) -> VisitQuerySet:
        """Each visit's `is_missed_plan` (the lists flag missed plans), in the same query."""
        return self.annotate(is_missed_plan=_flag(Q(planned_for__isnull=False) & plan_missed(today)))

    def with_plan_outcome(self, today) -> VisitQuerySet:
        """My month: each visit's `is_kept_plan`, `is_missed_plan` and `is_unplanned`."""
        return self.with_plan_state(today).annotate(
            is_kept_plan=_flag(Q(planned_for__isnull=False) & plan_kept()),
            is_unplanned=_flag(done_unplanned()),
        )

    def in_month(self, year: int, month: int) -> VisitQuerySet:
        return self.filter(date__year=year, date__month=month)

    def in_units(self, unit_ids, cadre_ids) -> VisitQuerySet:
        """Hosted in one of the units or written by one of their cadres. Both as literal ids
        (Cadre.scope_unit_ids / scope_cadre_ids): PostgreSQL combines the (town, date) and
        (cadre, date) indexes instead of walking the table, as it does for a join inside an OR."""
        return self.filter(Q(town_id__in=unit_ids) | Q(cadre_id__in=cadre_ids))

    def with_opinions(self) -> VisitQuerySet:
        """Done visits with workers' opinions or suggestions (民情民意)."""
        return self.filter(WITH_OPINIONS)

    def in_units_parts(self, unit_ids, cadre_ids) -> tuple[VisitQuerySet, VisitQuerySet]:
        """in_units as the two querysets whose union it is: hosted in the units, and written by
        their cadres. A UNION of the two reads an index for each (the counts of a month's
        distinct hosts), where the OR fetches every row of the table it matches."""
        return self.filter(town_id__in=unit_ids), self.filter(cadre_id__in=cadre_ids)

    def involving(self, cadre: Cadre) -> VisitQuerySet:
        """The cadre's own visits and those he or she took part in. The latter as literal ids
        (one query): no join to the companions, so no DISTINCT and an index for each half."""
        accompanied = Visit.companions.through.objects.filter(cadre_id=cadre.pk).values_list(
            "visit_id", flat=True
        )
        return self.filter(Q(cadre_id=cadre.pk) | Q(pk__in=list(accompanied)))

    def visible_to(self, cadre: Cadre) -> VisitQuerySet:
        """What a user may open: a leader his or her unit's subtree (by host town or author's
        unit); a cadre his or her own visits and those he or she took part in."""
        qs = self.alive()
        if cadre.is_leader:
            return qs.in_units(cadre.scope_unit_ids, cadre.scope_cadre_ids)
        return qs.involving(cadre)

    def review_queue(self, cadre: Cadre) -> VisitQuerySet:
        """Submitted visits in a leader's scope waiting for his or her review, oldest first
        (never the leader's own days: nobody reviews himself or herself)."""
        return (
            self.visible_to(cadre)
            .filter(status=Visit.Status.SUBMITTED)
            .exclude(cadre_id=cadre.pk)
            .exclude(companions=cadre)
            .order_by("submitted_at", "id")
        )

    def for_list(self) -> VisitQuerySet:
        """What the visit list and the ledger render of each visit."""
        return self.select_related(
            "cadre", "host_union", "host_enterprise", "host_enterprise__district_union", "town", "reviewer"
        )

    def for_detail(self) -> VisitQuerySet:
        """The visit page: the list's columns and the companions (who may edit it)."""
        return self.for_list().prefetch_related("companions")

    def for_diary(self, cadre_ids, first, last) -> VisitQuerySet:
        """民情日记: the done days the cadres wrote from `first` to `last`, with their places."""
        return (
            self.alive()
            .done()
            .filter(cadre_id__in=cadre_ids, date__range=(first, last))
            .select_related("host_union", "host_enterprise", "host_enterprise__district_union")
            .order_by("cadre_id", "date", "id")
        )

    def for_my_month(self, cadre: Cadre) -> VisitQuerySet:
        """My month: visits the cadre wrote or took part in, with their hosts."""
        return self.alive().involving(cadre).select_related("host_union", "host_enterprise", "cadre")


# Kept at module level: services write one history record for a save and its companions
# (Visit.save_with_companions) through it.
VISIT_HISTORY = HistoricalRecords(m2m_fields=["companions"], excluded_fields=["version"])


# The review queue (VisitQuerySet.review_queue: alive and submitted), as its partial indexes'
# condition.
QUEUED = Q(is_deleted=False, status="submitted")
# A done visit (VisitQuerySet.alive().done()), as the partial indexes of done visits' condition.
DONE_ALIVE = Q(is_deleted=False, status__in=["submitted", "reviewed"])
# 民情民意: a done visit with workers' opinions or suggestions (VisitQuerySet.with_opinions), as
# its partial indexes' condition (the same expression, so that PostgreSQL matches the two).
WITH_OPINIONS = DONE_ALIVE & ~Q(worker_opinions="", suggestions="")


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

    # A day counts as done once submitted or reviewed (a returned one must be resubmitted).
    DONE_STATUSES = (Status.SUBMITTED, Status.REVIEWED)

    kind = models.CharField(_("kind of day"), max_length=10, choices=Kind)
    date = models.DateField(_("date"))
    cadre = models.ForeignKey(Cadre, verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="visits")
    companions = models.ManyToManyField(
        Cadre, verbose_name=_("companions"), blank=True, related_name="accompanied_visits"
    )
    host_union = optional_fk(DistrictUnion, _("host federation"), related_name="hosted_visits")
    host_enterprise = optional_fk(EnterpriseUnion, _("host enterprise"), related_name="visits")
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
    # The date the day was planned for, kept once the plan is done (plans against what was done).
    planned_for = models.DateField(_("planned for"), null=True, blank=True, editable=False)
    topics = models.JSONField(_("topics discussed"), default=list, blank=True)
    people_met = models.TextField(_("people met"), blank=True)
    work_done = models.TextField(_("what was done"))
    answered_questions = models.TextField(_("questions answered on site"), blank=True)
    worker_opinions = models.TextField(_("workers' opinions (民情民意)"), blank=True)
    suggestions = models.TextField(_("suggestions for decision makers"), blank=True)
    reflections = models.TextField(_("reflections (体会)"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewer = optional_fk(Cadre, _("reviewer"), related_name="reviewed_visits")
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_comment = models.TextField(_("review comment"), blank=True)
    # Why the visit was last returned: kept after the review, whose comment is another text.
    return_reason = models.TextField(_("return reason"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    is_deleted = models.BooleanField(_("deleted"), default=False)
    # Generated by the phone that recorded the visit (offline app, API): a retried or repeated
    # send finds the visit it already created instead of creating a second one.
    client_uuid = models.UUIDField(_("client id"), null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = VisitQuerySet.as_manager()
    history = VISIT_HISTORY

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
            models.CheckConstraint(
                condition=~Q(status="planned") | Q(planned_for__isnull=False),
                name="outreach_visit_plan_has_date",
                violation_error_message=_("A plan needs the date it is planned for."),
            ),
        ]
        indexes = [
            # visit list and monthly report: by area and month
            models.Index(fields=["town", "date"], name="outreach_visit_town_date"),
            # my month and the completion matrix: by cadre and month
            models.Index(fields=["cadre", "date"], name="outreach_visit_cadre_date"),
            models.Index(fields=["date", "kind"], name="outreach_visit_date_kind"),
            # the visit list's page of ids, newest first: the scope and the common filters from
            # the index alone (PostgreSQL's index-only scan; SQLite ignores INCLUDE)
            models.Index(
                fields=["date", "id"],
                include=["town", "cadre", "is_deleted", "status", "kind"],
                name="outreach_visit_list",
            ),
            # plans against what was done: a cadre's plans by planned date
            models.Index(
                fields=["cadre", "planned_for"],
                condition=Q(planned_for__isnull=False),
                name="outreach_visit_cadre_plans",
            ),
            # the monthly report's enterprises visited: the done visits' hosts of a month by
            # place and by author, each half of in_units from an index alone (in_units_parts)
            models.Index(
                fields=["town", "date"],
                include=["host_enterprise"],
                condition=DONE_ALIVE,
                name="outreach_visit_done_town",
            ),
            models.Index(
                fields=["cadre", "date"],
                include=["host_enterprise"],
                condition=DONE_ALIVE,
                name="outreach_visit_done_cadre",
            ),
            # the monthly report's 民情民意: a month's first visits with opinions, by place and
            # by author, their order from the index alone
            models.Index(
                fields=["town", "date", "id"], condition=WITH_OPINIONS, name="outreach_visit_opinions_town"
            ),
            models.Index(
                fields=["cadre", "date", "id"], condition=WITH_OPINIONS, name="outreach_visit_opinions_cadre"
            ),
            # monthly report coverage: has this enterprise had a done visit in a period?
            models.Index(
                fields=["host_enterprise", "date"],
                condition=DONE_ALIVE,
                name="outreach_visit_done_host_date",
            ),
            # the review queue and its count in every leader's menu: the few submitted visits,
            # by place or by author (Visit.objects.review_queue), not a walk of the area's visits
            models.Index(
                fields=["town", "submitted_at"],
                condition=QUEUED,
                name="outreach_visit_queue_town",
            ),
            models.Index(
                fields=["cadre", "submitted_at"],
                condition=QUEUED,
                name="outreach_visit_queue_cadre",
            ),
            # the queue's oldest visits (ids first, lib.pagination.rows_ids_first): walked in
            # order from the index alone, stopping after the page, however long the queue
            models.Index(
                fields=["submitted_at", "id"],
                include=["town", "cadre"],
                condition=QUEUED,
                name="outreach_visit_queue_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()} · {self.host}"

    def save(self, *args, **kwargs):
        self.town_id = self.derive_town_id()
        self.follow_plan_date()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("outreach:visit_detail", args=[self.pk])

    @property
    def host(self) -> DistrictUnion | EnterpriseUnion | None:
        return self.host_enterprise or self.host_union

    def clean(self) -> None:
        self.follow_plan_date()

    def follow_plan_date(self) -> None:
        """While a plan, its planned date is its date; once done (or drafted) the planned date
        stays, for plans against what was done."""
        if self.status == self.Status.PLANNED:
            self.planned_for = self.date

    def derive_town_id(self) -> int | None:
        """The town/zone of the host. Queries the enterprise if it is not loaded."""
        if self.host_enterprise_id:
            return self.host_enterprise.district_union_id
        return self.host_union_id

    def involves(self, cadre: Cadre) -> bool:
        """Author or companion. Uses the prefetched companions (for_detail)."""
        return self.cadre_id == cadre.pk or any(c.pk == cadre.pk for c in self.companions.all())

    def is_editable_by(self, cadre: Cadre) -> bool:
        """Author and companions edit until the visit is reviewed."""
        return not self.is_deleted and self.status != self.Status.REVIEWED and self.involves(cadre)

    def is_deletable_by(self, cadre: Cadre) -> bool:
        """The author alone deletes, and only until the visit is reviewed."""
        return not self.is_deleted and self.status != self.Status.REVIEWED and self.cadre_id == cadre.pk

    def is_reviewable_by(self, cadre: Cadre) -> bool:
        """A leader (in scope: the caller fetched the visit through visible_to) reviews a
        submitted visit, never his or her own day."""
        return cadre.is_leader and self.status == self.Status.SUBMITTED and not self.involves(cadre)

    @property
    def counts_as_done(self) -> bool:
        return self.status in self.DONE_STATUSES

    # The free texts of a day, in the order the form and the detail page show them.
    TEXT_FIELDS = (
        "people_met",
        "work_done",
        "answered_questions",
        "worker_opinions",
        "suggestions",
        "reflections",
    )

    @property
    def texts(self) -> list[tuple[str, str]]:
        """(label, text) of each free text."""
        return [(self._meta.get_field(name).verbose_name, getattr(self, name)) for name in self.TEXT_FIELDS]

    HISTORY_FIELDS = (
        "kind",
        "date",
        "host_union",
        "host_enterprise",
        "status",
        "topics",
        *TEXT_FIELDS,
        "reviewer",
        "return_reason",
        "review_comment",
        "is_deleted",
    )

    def history_entries(self) -> list[dict]:
        """Who changed what and when, newest first. Four queries whatever the history's length."""
        records = self.history.select_related("history_user__cadre").order_by("history_date", "history_id")
        return history_entries(records, Visit, self.HISTORY_FIELDS, {"topics": self.topic_text})

    @classmethod
    def topic_text(cls, topics) -> str:
        labels = dict(cls.Topic.choices)
        return "、".join(str(labels.get(t, t)) for t in topics or [])

    @property
    def topic_labels(self) -> list[str]:
        labels = dict(self.Topic.choices)
        return [labels.get(t, t) for t in self.topics or []]

    def save_with_companions(self, companions) -> None:
        """Save and set the companions as one history record (simple-history would write one
        for the save and another for the companions: two entries for one submit)."""
        created = self._state.adding
        self.skip_history_when_saving = True
        try:
            self.save()
            self.companions.set(companions)
        finally:
            del self.skip_history_when_saving
        VISIT_HISTORY.create_historical_record(self, "+" if created else "~")

    def soft_delete(self) -> None:
        """Deleting keeps the row and its history; an administrator can restore it."""
        self.is_deleted = True
        self._change_reason = gettext("Deleted")
        self.save()


def visit_photo_path(instance: VisitPhoto, filename: str) -> str:
    # Generated names: the uploaded file name is never used on disk.
    suffix = PurePath(filename).suffix.lower()[:8]
    return f"visit_photos/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class VisitPhotoQuerySet(models.QuerySet):
    def alive(self) -> VisitPhotoQuerySet:
        return self.filter(is_deleted=False)


class VisitPhoto(models.Model):
    visit = models.ForeignKey(Visit, verbose_name=_("visit"), on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to=visit_photo_path)
    uploaded_by = models.ForeignKey(
        Cadre, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    # Removed by the author before the review: hidden everywhere, the file kept until the
    # visit itself is purged.
    is_deleted = models.BooleanField(_("removed"), default=False)
    # Generated by the phone that took the photo (offline app): an upload resumed or sent
    # again finds the photo it already made.
    client_uuid = models.UUIDField(_("client id"), null=True, blank=True, unique=True, editable=False)

    objects = VisitPhotoQuerySet.as_manager()

    class Meta:
        verbose_name = _("visit photo")
        verbose_name_plural = _("visit photos")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return str(_("Photo %(id)s") % {"id": self.pk})

    def soft_delete(self) -> None:
        self.is_deleted = True
        self.save(update_fields=["is_deleted"])
