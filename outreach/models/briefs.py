"""民情专报: a unit's monthly or quarterly brief of selected 民情民意 items for the party and
government decision makers, with a summary per theme; drafted, then published."""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Count, Prefetch, Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lib.fields import optional_fk
from lib.months import add_months, month_end
from unions.models import Cadre, DistrictUnion

from .opinions import Opinion, OpinionTheme


class BriefQuerySet(models.QuerySet):
    def alive(self) -> BriefQuerySet:
        return self.filter(is_deleted=False)

    def visible_to(self, cadre: Cadre) -> BriefQuerySet:
        """Leaders only: the briefs of the units in their subtree."""
        if not cadre.is_leader:
            return self.none()
        return self.alive().filter(unit_id__in=cadre.scope_unit_ids)

    def for_list(self) -> BriefQuerySet:
        return self.select_related("unit", "created_by", "published_by")


class Brief(models.Model):
    class Period(models.TextChoices):
        MONTH = "month", _("Monthly")
        QUARTER = "quarter", _("Quarterly")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    unit = models.ForeignKey(
        DistrictUnion, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="briefs"
    )
    period = models.CharField(_("period"), max_length=8, choices=Period, default=Period.MONTH)
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveSmallIntegerField(_("month or quarter"))
    title = models.CharField(_("title"), max_length=200)
    items = models.ManyToManyField(Opinion, verbose_name=_("items"), blank=True, related_name="briefs")
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.DRAFT)
    created_by = models.ForeignKey(
        Cadre, verbose_name=_("drafted by"), on_delete=models.PROTECT, related_name="+"
    )
    published_by = optional_fk(Cadre, _("published by"), related_name="+")
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    is_deleted = models.BooleanField(_("deleted"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = BriefQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=["items"], excluded_fields=["version"])

    class Meta:
        verbose_name = _("brief (民情专报)")
        verbose_name_plural = _("briefs (民情专报)")
        ordering = ["-year", "-number", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period__in=["month", "quarter"]), name="outreach_brief_period_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "published"]), name="outreach_brief_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(period="month", number__gte=1, number__lte=12)
                | Q(period="quarter", number__gte=1, number__lte=4),
                name="outreach_brief_number_in_period",
                violation_error_message=_("A month is 1–12, a quarter 1–4."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2999), name="outreach_brief_year_range"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_by__isnull=False, published_at__isnull=False),
                name="outreach_brief_published_has_publisher",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("outreach:brief_detail", args=[self.pk])

    @property
    def first_day(self) -> datetime.date:
        month = self.number if self.period == self.Period.MONTH else (self.number - 1) * 3 + 1
        return datetime.date(self.year, month, 1)

    @property
    def last_day(self) -> datetime.date:
        months = 1 if self.period == self.Period.MONTH else 3
        return month_end(add_months(self.first_day, months - 1))

    @property
    def period_label(self) -> str:
        if self.period == self.Period.MONTH:
            return gettext("%(year)d-%(month)02d") % {"year": self.year, "month": self.number}
        return gettext("Q%(quarter)d %(year)d") % {"year": self.year, "quarter": self.number}

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    def is_editable_by(self, cadre: Cadre) -> bool:
        """A draft, by the leaders whose subtree holds the brief's unit."""
        return (
            self.is_draft and not self.is_deleted and cadre.is_leader and self.unit_id in cadre.scope_unit_ids
        )

    def candidates(self) -> models.QuerySet:
        """Items the brief may take: the period's originals in the unit's subtree, not yet in it.
        Needs unit."""
        return (
            Opinion.objects.alive()
            .originals()
            .in_subtree(self.unit)
            .in_period(self.first_day, self.last_day)
            .exclude(briefs=self)
            .for_list()
            .order_by("theme__position", "theme_id", "date", "id")
        )

    def chosen_items(self) -> list[Opinion]:
        """The brief's items in theme order, each with its duplicates (alive) prefetched and
        counted. Two queries."""
        duplicates = Opinion.objects.alive().select_related("visit__host_union", "visit__host_enterprise")
        return list(
            self.items.alive()
            .for_list()
            .annotate(times=Count("duplicates", filter=Q(duplicates__is_deleted=False)))
            .prefetch_related(Prefetch("duplicates", queryset=duplicates.order_by("date", "id")))
            .order_by("theme__position", "theme_id", "date", "id")
        )

    def sections(self, items: list[Opinion] | None = None) -> list[dict]:
        """One section per theme of the items, in the admin's order: the theme, its summary and
        its items. Queries the summaries once (and the items unless given)."""
        items = self.chosen_items() if items is None else items
        summaries = {s.theme_id: s.summary for s in self.summaries.all()}
        sections: dict[int, dict] = {}
        for item in items:
            section = sections.setdefault(
                item.theme_id, {"theme": item.theme, "summary": summaries.get(item.theme_id, ""), "items": []}
            )
            section["items"].append(item)
        return list(sections.values())


class BriefSummary(models.Model):
    """The brief's summary of one theme (what the items say together, and what is advised)."""

    brief = models.ForeignKey(
        Brief, verbose_name=_("brief"), on_delete=models.CASCADE, related_name="summaries"
    )
    theme = models.ForeignKey(
        OpinionTheme, verbose_name=_("theme"), on_delete=models.PROTECT, related_name="+"
    )
    summary = models.TextField(_("summary"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("brief summary")
        verbose_name_plural = _("brief summaries")
        constraints = [
            models.UniqueConstraint(fields=["brief", "theme"], name="outreach_briefsummary_one_per_theme"),
        ]

    def __str__(self) -> str:
        return f"{self.brief} · {self.theme}"
