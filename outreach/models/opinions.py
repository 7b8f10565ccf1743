"""民情民意: the opinions and suggestions of a visit, tagged by leaders with a theme, merged
when the same thing was said twice, forwarded to whoever can act and answered."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lib.fields import optional_fk
from lib.history import history_entries
from unions.models import Cadre, DistrictUnion

from .visits import Visit


class OpinionThemeQuerySet(models.QuerySet):
    def offered(self) -> OpinionThemeQuerySet:
        """The themes a leader may tag with today, in the admin's order."""
        return self.filter(is_active=True).order_by("position", "id")


class OpinionTheme(models.Model):
    """A theme of what workers say (工资待遇, 工作时间, 安全生产 …): the admin renames, adds or
    retires themes; a theme in use is retired (untick "in use"), never deleted."""

    name = models.CharField(_("name"), max_length=30, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    objects = OpinionThemeQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("opinion theme")
        verbose_name_plural = _("opinion themes")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


class OpinionQuerySet(models.QuerySet):
    def alive(self) -> OpinionQuerySet:
        return self.filter(is_deleted=False)

    def visible_to(self, cadre: Cadre) -> OpinionQuerySet:
        """Leaders only, the items of the towns in their subtree (by where the visit took place,
        as the themes' counts per town)."""
        if not cadre.is_leader:
            return self.none()
        return self.alive().filter(town_id__in=cadre.scope_unit_ids)

    def in_subtree(self, unit: DistrictUnion) -> OpinionQuerySet:
        """The items of the unit's towns (one prefix join on the tree's path)."""
        return self.filter(town__path__startswith=unit.path)

    def originals(self) -> OpinionQuerySet:
        """Not marked as a duplicate of another item (what the counts and briefs count once)."""
        return self.filter(duplicate_of__isnull=True)

    def in_period(self, first, last) -> OpinionQuerySet:
        return self.filter(date__range=(first, last))

    def for_list(self) -> OpinionQuerySet:
        """What the lists, the brief and its exports render of each item."""
        return self.select_related(
            "theme",
            "town",
            "visit",
            "visit__cadre",
            "visit__host_union",
            "visit__host_enterprise",
            "duplicate_of",
        )


class Opinion(models.Model):
    """One item of 民情民意: an opinion or suggestion from a visit (its text, or the part of it
    on one theme — a visit's text may give several items), under one theme."""

    class Source(models.TextChoices):
        OPINION = "opinion", _("Workers' opinion")
        SUGGESTION = "suggestion", _("Suggestion for decision makers")

    class Status(models.TextChoices):
        OPEN = "open", _("Not forwarded")
        FORWARDED = "forwarded", _("Forwarded")
        ANSWERED = "answered", _("Answered")

    # The visit's field each source is taken from.
    SOURCE_FIELDS = {"opinion": "worker_opinions", "suggestion": "suggestions"}

    visit = models.ForeignKey(
        Visit, verbose_name=_("visit"), on_delete=models.PROTECT, related_name="opinions"
    )
    source = models.CharField(_("kind of item"), max_length=12, choices=Source, default=Source.OPINION)
    theme = models.ForeignKey(
        OpinionTheme, verbose_name=_("theme"), on_delete=models.PROTECT, related_name="opinions"
    )
    text = models.TextField(_("content"))
    # The visit's town and date, stored so that scoping and the counts per town and month
    # need no join (a visit's host and date are fixed once it is done).
    town = models.ForeignKey(
        DistrictUnion,
        verbose_name=_("town / zone"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    date = models.DateField(_("visit date"), editable=False)
    duplicate_of = optional_fk("self", _("duplicate of"), related_name="duplicates")
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.OPEN)
    forwarded_to = models.CharField(_("forwarded to"), max_length=200, blank=True)
    forwarded_on = models.DateField(_("forwarded on"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    tagged_by = models.ForeignKey(
        Cadre, verbose_name=_("tagged by"), on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    is_deleted = models.BooleanField(_("deleted"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = OpinionQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("opinion item")
        verbose_name_plural = _("opinion items")
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(source__in=["opinion", "suggestion"]), name="outreach_opinion_source_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["open", "forwarded", "answered"]),
                name="outreach_opinion_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(duplicate_of=models.F("id")), name="outreach_opinion_not_own_duplicate"
            ),
            models.CheckConstraint(
                condition=Q(status="open") | (~Q(forwarded_to="") & Q(forwarded_on__isnull=False)),
                name="outreach_opinion_forwarded_has_recipient",
            ),
            models.CheckConstraint(
                condition=~Q(status="answered") | (~Q(answer="") & Q(answered_on__isnull=False)),
                name="outreach_opinion_answered_has_answer",
            ),
        ]
        indexes = [
            # the themes' counts and the lists: by town and month
            models.Index(fields=["town", "date"], name="outreach_opinion_town_date"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.text[:30]}"

    def save(self, *args, **kwargs):
        if self.visit_id and (not self.town_id or not self.date):
            self.town_id, self.date = self.visit.town_id, self.visit.date
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("outreach:opinion_detail", args=[self.pk])

    @property
    def is_duplicate(self) -> bool:
        return self.duplicate_of_id is not None

    def is_managed_by(self, cadre: Cadre) -> bool:
        """The leaders whose subtree holds the item's town tag, merge, forward and delete it."""
        return cadre.is_leader and not self.is_deleted and self.town_id in cadre.scope_unit_ids

    HISTORY_FIELDS = (
        "theme",
        "text",
        "duplicate_of",
        "status",
        "forwarded_to",
        "forwarded_on",
        "answer",
        "answered_on",
        "is_deleted",
    )

    def history_entries(self) -> list[dict]:
        """Who changed what and when, newest first. A fixed number of queries."""
        records = self.history.select_related("history_user__cadre").order_by("history_date", "history_id")
        return history_entries(records, Opinion, self.HISTORY_FIELDS)

    def soft_delete(self) -> None:
        """Deleting keeps the row and its history; an administrator can restore it."""
        self.is_deleted = True
        self.version += 1
        self._change_reason = gettext("Deleted")
        self.save()


def visit_opinion_text(visit: Visit, source: str) -> str:
    """The visit's own text for an item of this source (what the tag form starts from)."""
    return getattr(visit, Opinion.SOURCE_FIELDS.get(source, "worker_opinions"))
