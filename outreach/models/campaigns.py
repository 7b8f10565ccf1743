"""Campaigns (评选, e.g. 「三个100」): categories with a quota, nominations with the app's
evidence, the district's review and the published list; and model cases (典型案例)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lib.fields import optional_fk
from unions.models import Cadre, DistrictUnion, EnterpriseUnion

from .opinions import Opinion, OpinionTheme
from .visits import Visit


class CampaignQuerySet(models.QuerySet):
    def alive(self) -> CampaignQuerySet:
        return self.filter(is_deleted=False)

    def visible_to(self, cadre: Cadre) -> CampaignQuerySet:
        """Campaigns set up by a unit in the cadre's scope, or by a unit above the cadre's
        (a town's people take part in their district's campaign). Needs cadre.unit; no extra query."""
        unit = cadre.unit
        steplen = DistrictUnion.steplen
        above = [unit.path[:end] for end in range(steplen, len(unit.path), steplen)]
        return self.alive().filter(Q(unit_id__in=cadre.scope_unit_ids) | Q(unit__path__in=above))

    def for_list(self) -> CampaignQuerySet:
        return self.select_related("unit")


class Campaign(models.Model):
    """A 评选 set up by a unit's admin or leaders: nominations open and close on given dates,
    then the unit reviews until its own date and publishes the list of those selected."""

    class Phase(models.TextChoices):
        UPCOMING = "upcoming", _("Nominations not yet open")
        NOMINATING = "nominating", _("Nominations open")
        REVIEWING = "reviewing", _("Under review")
        CLOSED = "closed", _("Review closed")
        PUBLISHED = "published", _("Results published")

    name = models.CharField(_("campaign name"), max_length=100)
    unit = models.ForeignKey(
        DistrictUnion, verbose_name=_("organised by"), on_delete=models.PROTECT, related_name="campaigns"
    )
    description = models.TextField(_("description"), blank=True)
    nomination_opens = models.DateField(_("nominations open on"))
    nomination_closes = models.DateField(_("nominations close on"))
    review_closes = models.DateField(_("review closes on"))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    published_by = optional_fk(Cadre, _("published by"), related_name="+", editable=False)
    created_by = optional_fk(Cadre, _("set up by"), related_name="+", editable=False)
    is_deleted = models.BooleanField(_("deleted"), default=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    objects = CampaignQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-nomination_opens", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(nomination_opens__lte=F("nomination_closes"))
                & Q(nomination_closes__lt=F("review_closes")),
                name="outreach_campaign_dates_in_order",
                violation_error_message=_(
                    "Nominations must open before they close, and the review close after them."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("outreach:campaign_detail", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    def phase_on(self, today: datetime.date) -> str:
        if self.is_published:
            return self.Phase.PUBLISHED
        if today < self.nomination_opens:
            return self.Phase.UPCOMING
        if today <= self.nomination_closes:
            return self.Phase.NOMINATING
        if today <= self.review_closes:
            return self.Phase.REVIEWING
        return self.Phase.CLOSED

    def phase_label(self, today: datetime.date) -> str:
        return self.Phase(self.phase_on(today)).label

    @staticmethod
    def can_set_up(cadre: Cadre) -> bool:
        """A leader of a district (or of a city or province) sets up campaigns for the unit."""
        return cadre.is_leader and not cadre.unit.is_grassroots

    def can_review(self, cadre: Cadre) -> bool:
        """The leaders of the organising unit (or above it) score, decide and publish."""
        return cadre.is_leader and self.unit_id in cadre.scope_unit_ids

    def can_nominate(self, cadre: Cadre, today: datetime.date) -> bool:
        """Leaders nominate what lies in their scope while nominations are open."""
        return cadre.is_leader and self.phase_on(today) == self.Phase.NOMINATING

    def covers(self, unit: DistrictUnion) -> bool:
        """The unit lies in the organising unit's subtree. Needs self.unit."""
        return unit.path.startswith(self.unit.path)


class CampaignCategory(models.Model):
    """One list of a campaign (e.g. 100 enterprise unions), what it holds and how many."""

    class NomineeKind(models.TextChoices):
        ENTERPRISE = "enterprise", _("Enterprise unions")
        CADRE = "cadre", _("Cadres")
        VISIT = "visit", _("Visits")

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="categories"
    )
    name = models.CharField(_("category"), max_length=100)
    nominee_kind = models.CharField(_("who is nominated"), max_length=10, choices=NomineeKind)
    quota = models.PositiveIntegerField(_("quota"), validators=[MinValueValidator(1)])
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("campaign category")
        verbose_name_plural = _("campaign categories")
        ordering = ["campaign", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "name"], name="outreach_campaigncategory_unique_name"
            ),
            models.CheckConstraint(
                condition=Q(nominee_kind__in=["enterprise", "cadre", "visit"]),
                name="outreach_campaigncategory_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(quota__gte=1), name="outreach_campaigncategory_quota_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.name}"


# The evidence attached to a nomination: a snapshot taken when it is made (see
# services.campaigns.nomination_evidence), so that the review reads what the nominator saw.
EVIDENCE_LABELS = {
    "period": _("Period"),
    "kind": _("Kind of day"),
    "date": _("Date"),
    "host": _("Host"),
    "visits": _("Visits done"),
    "months_complete": _("Months with all three days"),
    "problems": _("Problems received"),
    "problems_solved": _("Problems solved"),
    "satisfaction": _("Satisfaction rate"),
    "has_union": _("Has a union"),
    "has_office": _("Has a union work office"),
    "employees": _("Employees"),
    "members": _("Union members"),
    "membership": _("Membership rate"),
    "fulltime_cadre": _("Full-time union cadre"),
}


class NominationQuerySet(models.QuerySet):
    def alive(self) -> NominationQuerySet:
        return self.filter(is_deleted=False)

    def visible_to(self, cadre: Cadre) -> NominationQuerySet:
        """Nominations of what lies in the cadre's scope (the nominee's town): a town's leaders
        their town's, the district's leaders all of the district's."""
        return self.alive().filter(town_id__in=cadre.scope_unit_ids)

    def for_list(self) -> NominationQuerySet:
        return self.select_related(
            "category",
            "category__campaign",
            "town",
            "nominated_by",
            "enterprise",
            "cadre",
            "cadre__unit",
            "visit",
            "visit__host_enterprise",
            "visit__host_union",
            "visit__cadre",
        )

    def selected(self) -> NominationQuerySet:
        return self.filter(status=Nomination.Status.SELECTED)

    def published(self) -> NominationQuerySet:
        return self.filter(category__campaign__published_at__isnull=False)


class Nomination(models.Model):
    """An enterprise union, a cadre or a visit put forward in a category, with the reason and
    the app's evidence; the review scores it and decides: nominated → scored → selected / not."""

    class Status(models.TextChoices):
        NOMINATED = "nominated", _("Nominated")
        SCORED = "scored", _("Scored")
        SELECTED = "selected", _("Selected")
        NOT_SELECTED = "not_selected", _("Not selected")

    DECIDED = (Status.SELECTED, Status.NOT_SELECTED)

    category = models.ForeignKey(
        CampaignCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="nominations"
    )
    enterprise = optional_fk(EnterpriseUnion, _("enterprise union"), related_name="nominations")
    cadre = optional_fk(Cadre, _("cadre"), related_name="nominations")
    visit = optional_fk(Visit, _("visit"), related_name="nominations")
    # The nominee's town when nominated: who may see the nomination.
    town = models.ForeignKey(
        DistrictUnion,
        verbose_name=_("town / zone"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    reason = models.TextField(_("reason for the nomination"))
    evidence = models.JSONField(_("evidence from the app"), default=dict, editable=False)
    nominated_by = models.ForeignKey(
        Cadre, verbose_name=_("nominated by"), on_delete=models.PROTECT, related_name="+", editable=False
    )
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.NOMINATED)
    score = models.DecimalField(
        _("score"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    review_note = models.TextField(_("review note"), blank=True)
    reviewed_by = optional_fk(Cadre, _("reviewed by"), related_name="+", editable=False)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    is_deleted = models.BooleanField(_("deleted"), default=False)
    created_at = models.DateTimeField(_("nominated at"), default=timezone.now, editable=False)

    objects = NominationQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        ordering = ["category", "-score", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(enterprise__isnull=False, cadre__isnull=True, visit__isnull=True)
                | Q(enterprise__isnull=True, cadre__isnull=False, visit__isnull=True)
                | Q(enterprise__isnull=True, cadre__isnull=True, visit__isnull=False),
                name="outreach_nomination_one_nominee",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["nominated", "scored", "selected", "not_selected"]),
                name="outreach_nomination_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(status="nominated") | Q(score__isnull=False),
                name="outreach_nomination_reviewed_has_score",
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=100),
                name="outreach_nomination_score_range",
            ),
            *(
                models.UniqueConstraint(
                    fields=["category", field],
                    condition=Q(is_deleted=False, **{f"{field}__isnull": False}),
                    name=f"outreach_nomination_one_per_{field}",
                    violation_error_message=_("This nominee is already nominated in this category."),
                )
                for field in ("enterprise", "cadre", "visit")
            ),
        ]
        indexes = [models.Index(fields=["town", "category"], name="outreach_nomination_town")]

    def __str__(self) -> str:
        return f"{self.category.name} · {self.nominee}"

    @property
    def nominee(self) -> EnterpriseUnion | Cadre | Visit:
        return self.enterprise or self.cadre or self.visit

    def nominee_url(self) -> str:
        if self.enterprise_id:
            return reverse("unions:enterprise_detail", args=[self.enterprise_id])
        if self.visit_id:
            return reverse("outreach:visit_detail", args=[self.visit_id])
        return ""

    def evidence_items(self) -> list[tuple[str, object]]:
        """The evidence snapshot as (label, value), in the labels' order (PostgreSQL's jsonb
        does not keep the order the keys were written in)."""
        return [(label, self.evidence[key]) for key, label in EVIDENCE_LABELS.items() if key in self.evidence]

    @property
    def is_decided(self) -> bool:
        return self.status in self.DECIDED

    def public_status(self) -> str:
        """What a nominee's page shows: the decision once published, else that it is under way.
        Needs category__campaign."""
        if self.category.campaign.is_published and self.is_decided:
            return self.get_status_display()
        return str(Campaign.Phase.REVIEWING.label)


class ModelCaseQuerySet(models.QuerySet):
    def alive(self) -> ModelCaseQuerySet:
        return self.filter(is_deleted=False)

    def visible_to(self, cadre: Cadre) -> ModelCaseQuerySet:
        """The cases of the visits the cadre may open."""
        return self.alive().filter(visit__in=Visit.objects.visible_to(cadre).values("pk"))

    def for_library(self) -> ModelCaseQuerySet:
        """What the case library renders: the visit, its town and the themes its opinions were
        tagged with (民情民意), by town and newest first."""
        opinions = Opinion.objects.alive().select_related("theme").order_by("theme__position", "theme_id")
        return (
            self.select_related(
                "visit",
                "visit__town",
                "visit__cadre",
                "visit__host_enterprise",
                "visit__host_union",
                "marked_by",
            )
            .prefetch_related(models.Prefetch("visit__opinions", queryset=opinions))
            .order_by("visit__town__path", "-visit__date", "id")
        )

    def with_theme(self, theme: OpinionTheme) -> ModelCaseQuerySet:
        return self.filter(visit__in=Opinion.objects.alive().filter(theme=theme).values("visit_id"))


class ModelCase(models.Model):
    """A visit a leader holds up as a model case (典型案例), with a short write-up."""

    visit = models.OneToOneField(
        Visit, verbose_name=_("visit"), on_delete=models.PROTECT, related_name="model_case"
    )
    title = models.CharField(_("title"), max_length=100)
    write_up = models.TextField(_("write-up"), max_length=2000)
    marked_by = models.ForeignKey(
        Cadre, verbose_name=_("marked by"), on_delete=models.PROTECT, related_name="+", editable=False
    )
    is_deleted = models.BooleanField(_("deleted"), default=False)
    created_at = models.DateTimeField(_("marked at"), default=timezone.now, editable=False)

    objects = ModelCaseQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("model case")
        verbose_name_plural = _("model cases")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("outreach:visit_detail", args=[self.visit_id])

    def themes(self) -> list[OpinionTheme]:
        """The themes of the visit's opinions, in the admin's order. Needs for_library()."""
        seen = {}
        for opinion in self.visit.opinions.all():
            seen.setdefault(opinion.theme_id, opinion.theme)
        return list(seen.values())

    @staticmethod
    def markable_by(visit: Visit, cadre: Cadre) -> bool:
        """A leader (in scope: the caller fetched the visit through visible_to) marks a done day."""
        return cadre.is_leader and visit.counts_as_done and not visit.is_deleted
