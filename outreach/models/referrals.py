"""Referrals (转介) of a problem into 困难职工帮扶 or 法律援助, and who opened them (PIPL)."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lib.fields import optional_fk
from unions.models import Cadre, DistrictUnion

from .concerns import Concern, mask_phone


class ReferralQuerySet(models.QuerySet):
    def alive(self) -> ReferralQuerySet:
        return self.filter(is_deleted=False)

    def visible_to(self, cadre: Cadre) -> ReferralQuerySet:
        """Whoever may open the problem may open its referrals (the personal data aside:
        Referral.personal_data_visible_to). One query for the problems' scope."""
        return self.alive().filter(concern__in=Concern.objects.visible_to(cadre).values("pk"))

    def for_list(self) -> ReferralQuerySet:
        """What the list and the export render: the problem, its enterprise, town and people."""
        return self.select_related(
            "concern", "concern__enterprise", "concern__owner", "town", "opened_by", "decided_by"
        )


class Referral(models.Model):
    """A problem referred to the aid system: the fields its upload asks for, and its outcome."""

    class Kind(models.TextChoices):
        HARDSHIP = "hardship", _("Hardship aid (困难职工帮扶)")
        LEGAL_AID = "legal_aid", _("Legal aid (法律援助)")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        ACCEPTED = "accepted", _("Accepted")
        HELPED = "helped", _("Helped")
        NOT_ELIGIBLE = "not_eligible", _("Not eligible")

    class Cause(models.TextChoices):
        """致困原因, as the national aid system lists them."""

        ILLNESS = "illness", _("Illness (因病)")
        DISABILITY = "disability", _("Disability (因残)")
        SCHOOLING = "schooling", _("Children's schooling (因学)")
        DISASTER = "disaster", _("Disaster or accident (因灾)")
        UNEMPLOYMENT = "unemployment", _("Unemployment (失业)")
        SINGLE_PARENT = "single_parent", _("Single parent (单亲)")
        LOW_WAGE = "low_wage", _("Low wages (工资收入低)")
        OTHER = "other", _("Other")

    class DisputeType(models.TextChoices):
        WAGE_ARREARS = "wage_arrears", _("Wage arrears (拖欠工资)")
        CONTRACT = "contract", _("Labour contract (劳动合同)")
        INJURY = "injury", _("Work injury (工伤)")
        INSURANCE = "insurance", _("Social insurance (社会保险)")
        DISMISSAL = "dismissal", _("Dismissal and compensation (解除劳动关系)")
        OTHER = "other", _("Other")

    # submitted → accepted → helped; either of the first two may end as not eligible.
    TRANSITIONS = {
        "submitted": ("accepted", "not_eligible"),
        "accepted": ("helped", "not_eligible"),
        "helped": (),
        "not_eligible": (),
    }
    OPEN_STATUSES = (Status.SUBMITTED, Status.ACCEPTED)

    concern = models.ForeignKey(
        Concern, verbose_name=_("problem"), on_delete=models.PROTECT, related_name="referrals"
    )
    kind = models.CharField(_("kind of referral"), max_length=12, choices=Kind)
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.SUBMITTED)
    # The problem's town when referred, stored for scoping and the export's rows.
    town = models.ForeignKey(
        DistrictUnion,
        verbose_name=_("town / zone"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    worker_name = models.CharField(_("worker's name"), max_length=50)
    worker_phone = models.CharField(_("worker's phone"), max_length=30, blank=True)
    # 帮扶: the worker's household.
    household_members = models.PositiveSmallIntegerField(
        _("household members"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
    )
    monthly_income_per_head = models.DecimalField(
        _("monthly income per head (yuan)"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    hardship_cause = models.CharField(
        _("cause of hardship (致困原因)"), max_length=16, choices=Cause, blank=True
    )
    housing = models.CharField(_("housing"), max_length=200, blank=True)
    health = models.CharField(_("health"), max_length=200, blank=True)
    # 法律援助: the dispute.
    dispute_type = models.CharField(_("type of dispute"), max_length=16, choices=DisputeType, blank=True)
    employer = models.CharField(_("employer"), max_length=200, blank=True)
    amount_in_dispute = models.DecimalField(
        _("amount in dispute (yuan)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    workers_concerned = models.PositiveIntegerField(
        _("workers concerned"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    note = models.TextField(_("note"), blank=True)
    opened_by = models.ForeignKey(
        Cadre, verbose_name=_("referred by"), on_delete=models.PROTECT, related_name="referrals_opened"
    )
    decided_by = optional_fk(Cadre, _("decided by"), related_name="referrals_decided")
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    is_deleted = models.BooleanField(_("deleted"), default=False)
    created_at = models.DateTimeField(_("referred at"), default=timezone.now, editable=False)

    objects = ReferralQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["hardship", "legal_aid"]), name="outreach_referral_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["submitted", "accepted", "helped", "not_eligible"]),
                name="outreach_referral_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(status="submitted") | Q(decided_by__isnull=False),
                name="outreach_referral_decided_has_leader",
            ),
            # One referral of a kind under way per problem: a second would be keyed in twice.
            models.UniqueConstraint(
                fields=["concern", "kind"],
                condition=Q(status__in=["submitted", "accepted"], is_deleted=False),
                name="outreach_referral_one_open_per_kind",
                violation_error_message=_("This problem already has a referral of this kind under way."),
            ),
        ]
        indexes = [models.Index(fields=["town", "created_at"], name="outreach_referral_town_at")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.worker_name}"

    def save(self, *args, **kwargs):
        if self.concern_id and not self.town_id:
            self.town_id = self.concern.town_id
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("outreach:referral_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def allowed_transitions(self) -> tuple[str, ...]:
        return self.TRANSITIONS[self.status]

    def is_owned_by(self, cadre: Cadre) -> bool:
        """The problem's owner (and whoever referred it): they see the data without a log entry.
        Needs concern."""
        return cadre.pk in (self.opened_by_id, self.concern.owner_id)

    def personal_data_visible_to(self, cadre: Cadre) -> bool:
        """As a worker's phone: the owner and the leaders whose scope holds the town. Needs concern."""
        return self.is_owned_by(cadre) or (cadre.is_leader and self.town_id in cadre.scope_unit_ids)

    def can_decide(self, cadre: Cadre) -> bool:
        """The leaders whose scope holds the referral's town accept and decide it."""
        return (
            cadre.is_leader and self.is_open and not self.is_deleted and self.town_id in cadre.scope_unit_ids
        )

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.worker_phone)

    @property
    def masked_name(self) -> str:
        return (self.worker_name[:1] + "*" * (len(self.worker_name) - 1)) if self.worker_name else ""


class ReferralAccess(models.Model):
    """Every opening of a referral's personal data by someone other than its owner (PIPL):
    who, when, how. Written by the views, read in the admin only."""

    class Action(models.TextChoices):
        VIEW = "view", _("Opened the page")
        EXPORT = "export", _("Exported")

    referral = models.ForeignKey(
        Referral, verbose_name=_("referral"), on_delete=models.CASCADE, related_name="accesses"
    )
    cadre = models.ForeignKey(Cadre, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+")
    action = models.CharField(_("action"), max_length=8, choices=Action, default=Action.VIEW)
    personal_data_shown = models.BooleanField(_("personal data shown"), default=False)
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("referral access")
        verbose_name_plural = _("referral access log")
        ordering = ["-at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=["view", "export"]), name="outreach_referralaccess_action_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.cadre} · {self.at:%Y-%m-%d %H:%M}"
