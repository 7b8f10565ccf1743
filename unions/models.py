"""The union directory: units (DistrictUnion), enterprise unions and cadres, and who may see what.

Glossary — one name per meaning in new code:
- unit: a `DistrictUnion` of any level (the district federation or a town/zone federation
  below it). Older names for the same model, kept where fields already use them:
  `district_union` (an enterprise's unit), `host_union` (a visit hosted by a federation),
  `parent` (the unit above), and town (the unit where a visit or problem happened:
  `Visit.town`, `Concern.town`).
- problem = concern = 诉求: the model is `outreach.Concern`, its URLs are `problems/`.
- day = one 「一天」 visit record (`outreach.Visit`).
- scope: the units a cadre may see, `Cadre.scope_units()`; every `visible_to(cadre)` uses it.
"""

from __future__ import annotations

import simple_history
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import Case, F, IntegerField, Q, When
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lib.fields import optional_fk
from lib.history import history_entries

from .validators import validate_credit_code, validate_division_code


class DistrictUnionQuerySet(models.QuerySet):
    def subtree(self, unit: DistrictUnion) -> DistrictUnionQuerySet:
        """The unit and everything below it.

        The tree has two levels at most (a district and its towns/zones; the model's
        rules forbid deeper nesting), so one OR is the whole subtree.
        """
        return self.filter(Q(pk=unit.pk) | Q(parent_id=unit.pk))

    def towns(self) -> DistrictUnionQuerySet:
        return self.filter(level__in=[DistrictUnion.Level.TOWN, DistrictUnion.Level.ZONE])

    def districts(self) -> DistrictUnionQuerySet:
        return self.filter(level=DistrictUnion.Level.DISTRICT)

    def hosts_for(self, cadre: Cadre) -> DistrictUnionQuerySet:
        """Federations a cadre may visit: the district and its towns/zones, his or her own
        towns (分片包镇) first, then the other towns, then the district."""
        return (
            self.filter(pk__in=cadre.district_units().values("pk"))
            .annotate(
                rank=Case(
                    When(pk__in=cadre.towns.values("pk"), then=0),
                    When(level=DistrictUnion.Level.DISTRICT, then=2),
                    default=1,
                    output_field=IntegerField(),
                )
            )
            .order_by("rank", "code", "name")
        )


class DistrictUnion(models.Model):
    class Level(models.TextChoices):
        DISTRICT = "district", _("District federation")
        TOWN = "town", _("Town federation")
        ZONE = "zone", _("Development zone federation")

    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(
        _("division code"),
        max_length=12,
        blank=True,
        validators=[validate_division_code],
        help_text=_("Administrative division code (GB/T 2260), where the unit has one."),
    )
    level = models.CharField(_("level"), max_length=10, choices=Level)
    parent = optional_fk(
        "self", _("parent federation"), related_name="children", limit_choices_to={"level": "district"}
    )

    objects = DistrictUnionQuerySet.as_manager()

    class Meta:
        verbose_name = _("district / town union")
        verbose_name_plural = _("district / town unions")
        ordering = ["parent_id", "code", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=~Q(code=""), name="unions_districtunion_unique_code"
            ),
            models.CheckConstraint(
                condition=Q(level="district", parent__isnull=True)
                | (~Q(level="district") & Q(parent__isnull=False)),
                name="unions_districtunion_parent_matches_level",
                violation_error_message=_(
                    "A district federation has no parent; a town or zone federation must belong to a district."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.level == self.Level.DISTRICT:
            if self.parent_id:
                raise ValidationError(
                    {"parent": _("A district federation cannot belong to another unit.")},
                    code="district_has_parent",
                )
            return
        if not self.parent_id:
            raise ValidationError(
                {"parent": _("A town or zone federation must belong to a district federation.")},
                code="town_without_parent",
            )
        if self.pk and self.parent_id == self.pk:
            raise ValidationError({"parent": _("A unit cannot be its own parent.")}, code="tree_cycle")
        if self.parent.level != self.Level.DISTRICT:
            raise ValidationError(
                {"parent": _("The parent of a town or zone federation must be a district federation.")},
                code="parent_not_district",
            )
        if self.pk and self.children.exists():
            raise ValidationError(
                {"level": _("This unit has towns or zones below it, so it must stay a district federation.")},
                code="tree_cycle",
            )

    @property
    def is_district(self) -> bool:
        return self.level == self.Level.DISTRICT

    @property
    def district_id(self) -> int:
        return self.pk if self.is_district else self.parent_id


class InUnitsQuerySet(models.QuerySet):
    """Rows that belong to a unit (`unit_field`): what a cadre may see is what lies in his or
    her scope, the home unit and everything below it (the whole district for HQ staff)."""

    unit_field = "unit"

    def active(self):
        return self.filter(is_active=True)

    def in_units(self, units):
        return self.filter(**{f"{self.unit_field}__in": units})

    def visible_to(self, cadre: Cadre):
        return self.in_units(cadre.scope_units())


class EnterpriseUnionQuerySet(InUnitsQuerySet):
    unit_field = "district_union"

    def hosts_for(self, cadre: Cadre) -> EnterpriseUnionQuerySet:
        """Active enterprises a cadre may visit (the district's), his or her contact
        enterprises (定点联系) first, then those of his or her towns, with their unit."""
        return (
            self.active()
            .filter(district_union__in=cadre.district_units())
            .select_related("district_union")
            .annotate(
                rank=Case(
                    When(pk__in=cadre.contact_enterprises.values("pk"), then=0),
                    When(district_union__in=cadre.towns.values("pk"), then=1),
                    default=2,
                    output_field=IntegerField(),
                )
            )
            .order_by("rank", "name", "pk")
        )


class EnterpriseHistory(models.Model):
    """What the history keeps of an enterprise besides its fields: the visit at which a cadre
    checked the directory facts (set from `_verified_at_visit`, unions/signals.py)."""

    # A plain id, not a foreign key: the directory knows nothing of outreach's visits.
    verified_at_visit = models.PositiveIntegerField(_("verified at visit"), null=True, blank=True)

    class Meta:
        abstract = True


class EnterpriseUnion(models.Model):
    name = models.CharField(_("enterprise name"), max_length=200)
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        validators=[validate_credit_code],
        error_messages={"unique": _("An enterprise with this credit code is already in the directory.")},
    )
    district_union = models.ForeignKey(
        DistrictUnion,
        verbose_name=_("town / zone"),
        on_delete=models.PROTECT,
        related_name="enterprises",
        limit_choices_to={"level__in": ["town", "zone"]},
    )
    employees = models.PositiveIntegerField(_("employees"), default=0)
    members = models.PositiveIntegerField(_("union members"), default=0)
    has_union = models.BooleanField(_("has a union"), default=False)
    has_office = models.BooleanField(_("has a union work office"), default=False)
    chair_name = models.CharField(_("union chair"), max_length=50, blank=True)
    fulltime_cadre_name = models.CharField(_("full-time union cadre"), max_length=50, blank=True)
    phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    last_verified_at = models.DateTimeField(_("last verified at"), null=True, blank=True)
    last_verified_by = optional_fk(
        "Cadre", _("last verified by"), related_name="+", on_delete=models.SET_NULL
    )

    objects = EnterpriseUnionQuerySet.as_manager()
    history = HistoricalRecords(bases=[EnterpriseHistory])

    class Meta:
        verbose_name = _("enterprise union")
        verbose_name_plural = _("enterprise unions")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(members__lte=F("employees")),
                name="unions_enterpriseunion_members_lte_employees",
                violation_error_message=_("Union members cannot outnumber the employees."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        """The name with its town, as pickers and lists show an enterprise. Needs district_union."""
        return f"{self.name} · {self.district_union.name}"

    HISTORY_FIELDS = (
        "name",
        "credit_code",
        "district_union",
        "employees",
        "members",
        "has_union",
        "has_office",
        "chair_name",
        "fulltime_cadre_name",
        "phone",
        "address",
        "is_active",
    )

    def history_page(self, number, per_page: int = 10) -> tuple[Page, list[dict]]:
        """One page of the directory entry's history, newest first: who changed or confirmed
        which facts, and (record.verified_at_visit) at which visit. Three queries on any page."""
        records = self.history.select_related("history_user__cadre").order_by("-history_date", "-history_id")
        page = Paginator(records, per_page).get_page(number)
        start, end = page.start_index() - 1, page.end_index()
        # One older record besides the page's: the baseline of the page's oldest change.
        rows = list(records[max(start, 0) : end + 1])
        entries = history_entries(reversed(rows), EnterpriseUnion, self.HISTORY_FIELDS)
        return page, entries[: end - start]

    def clean(self) -> None:
        if self.credit_code:
            self.credit_code = self.credit_code.strip().upper()
        if self.members is not None and self.employees is not None and self.members > self.employees:
            raise ValidationError(
                {
                    "members": _(
                        "Union members (%(members)d) cannot outnumber the employees (%(employees)d)."
                    )
                    % {"members": self.members, "employees": self.employees}
                },
                code="members_gt_employees",
            )
        if self.district_union_id and self.district_union.is_district:
            raise ValidationError(
                {"district_union": _("Choose the town or zone federation the enterprise belongs to.")},
                code="enterprise_in_district",
            )


class CadreQuerySet(InUnitsQuerySet):
    unit_field = "unit"


class Cadre(models.Model):
    class Role(models.TextChoices):
        CADRE = "cadre", _("Cadre")
        LEADER = "leader", _("Leader")
        ADMIN = "admin", _("Administrator")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        on_delete=models.PROTECT,
        related_name="cadre",
    )
    name = models.CharField(_("name"), max_length=50)
    unit = models.ForeignKey(
        DistrictUnion, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="cadres"
    )
    post = models.CharField(_("post"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    role = models.CharField(_("role"), max_length=10, choices=Role, default=Role.CADRE)
    towns = models.ManyToManyField(
        DistrictUnion,
        verbose_name=_("assigned towns (分片包镇)"),
        blank=True,
        related_name="assigned_cadres",
        limit_choices_to={"level__in": ["town", "zone"]},
    )
    contact_enterprises = models.ManyToManyField(
        EnterpriseUnion,
        verbose_name=_("contact enterprises (定点联系)"),
        blank=True,
        related_name="contact_cadres",
    )
    is_active = models.BooleanField(_("active"), default=True)
    must_change_password = models.BooleanField(
        _("must change the password"),
        default=False,
        help_text=_(
            "Set when an administrator sets the password: the cadre chooses a new one at the next login."
        ),
    )

    invited_at = models.DateTimeField(
        _("invited at"),
        null=True,
        blank=True,
        help_text=_("When the last activation link was mailed or printed."),
    )

    objects = CadreQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cadre")
        verbose_name_plural = _("cadres")
        ordering = ["unit_id", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=["cadre", "leader", "admin"]),
                name="unions_cadre_role_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_leader(self) -> bool:
        """Leaders and admins review their unit's subtree."""
        return self.role in (self.Role.LEADER, self.Role.ADMIN)

    @property
    def is_admin(self) -> bool:
        return self.role == self.Role.ADMIN

    @property
    def is_activated(self) -> bool:
        """The login has a password (set by the cadre through the activation link, or by an admin). Needs user."""
        return self.user.has_usable_password()

    def open_problems(self):
        """The problems this cadre owns that are still open or in progress (queries).

        Through the reverse relation of outreach's Concern.owner: unions imports nothing from outreach.
        """
        return self.owned_concerns.alive().pending().select_related("enterprise").order_by("due_date", "pk")

    def scope_units(self) -> DistrictUnionQuerySet:
        """The units whose data this cadre may see: the home unit and everything below it.

        This is the one place the scope rule is written; every view and report reuses it.
        """
        return DistrictUnion.objects.subtree(self.unit)

    @cached_property
    def scope_unit_ids(self) -> list[int]:
        """`scope_units()` as literal ids, fetched once per request.

        Records that lie in a scope "by place or by author" are an OR of two conditions; given
        as literal id lists PostgreSQL answers it from two indexes (BitmapOr), where sub-selects
        make it walk the whole table (seconds at ten million visits)."""
        return list(self.scope_units().values_list("pk", flat=True))

    @cached_property
    def scope_cadre_ids(self) -> list[int]:
        """The cadres (active or not) of the units in scope, as literal ids (see scope_unit_ids)."""
        return list(Cadre.objects.filter(unit__in=self.scope_unit_ids).values_list("pk", flat=True))

    def district_units(self) -> DistrictUnionQuerySet:
        """The whole district the cadre works in (where visits may be hosted). Queries once for a town cadre."""
        district_id = self.unit.district_id
        return DistrictUnion.objects.filter(Q(pk=district_id) | Q(parent_id=district_id))


# Who changed a login (active, staff, name, groups), and when: admins see it in the user's history.
# The password hash and the last-login time stay out of the history.
simple_history.register(
    get_user_model(), app="unions", excluded_fields=["password", "last_login"], user_related_name="+"
)
