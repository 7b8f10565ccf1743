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
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from lib.fields import optional_fk
from lib.history import history_entries

from .validators import validate_credit_code, validate_division_code

# Levels from the top down; a unit's parent stands on a higher level (a smaller rank).
LEVEL_RANKS = {"province": 0, "city": 1, "district": 2, "town": 3, "street": 3, "zone": 3}
GRASSROOTS_LEVELS = ("town", "street", "zone")
# How many leading digits of a unit's division code its children's codes repeat (GB/T 2260:
# 2 for a province, 4 for a city, 6 for a county or district; the statistical code: 9 for a town).
CODE_PREFIX = {"province": 2, "city": 4, "district": 6, "town": 9, "street": 9, "zone": 9}


class DistrictUnionQuerySet(MP_NodeQuerySet):
    def subtree(self, unit: DistrictUnion) -> DistrictUnionQuerySet:
        """The unit and everything below it: one prefix query on the materialised path
        (the path's unique index answers it)."""
        return self.filter(path__startswith=unit.path)

    def children_of(self, unit: DistrictUnion) -> DistrictUnionQuerySet:
        return self.filter(parent_id=unit.pk)

    def towns(self) -> DistrictUnionQuerySet:
        """The grassroots units: towns, streets and development zones."""
        return self.filter(level__in=GRASSROOTS_LEVELS)

    def districts(self) -> DistrictUnionQuerySet:
        return self.filter(level=DistrictUnion.Level.DISTRICT)

    def hosts_for(self, cadre: Cadre) -> DistrictUnionQuerySet:
        """Federations a cadre may visit: the units of his or her area (Cadre.district_units),
        his or her own towns (分片包镇) first, then the other grassroots units, then the units
        above them."""
        return (
            self.filter(pk__in=cadre.district_units().values("pk"))
            .annotate(
                rank=Case(
                    When(pk__in=cadre.towns.values("pk"), then=0),
                    When(level__in=GRASSROOTS_LEVELS, then=1),
                    default=2,
                    output_field=IntegerField(),
                )
            )
            .order_by("rank", "code", "name")
        )


class DistrictUnionManager(MP_NodeManager.from_queryset(DistrictUnionQuerySet)):
    def get_queryset(self) -> DistrictUnionQuerySet:
        # treebeard's manager builds its own queryset class; ours keeps its delete and adds ours.
        return DistrictUnionQuerySet(self.model, using=self._db).order_by("path")


class DistrictUnion(MP_Node):
    """A unit of any level: 省 → 市 → 区／县 → 镇／街道／开发区 总工会.

    `parent` says where a unit hangs; the materialised path (treebeard's MP_Node: path, depth,
    numchild) follows it in save(), so that a subtree is one prefix query. Siblings keep the
    order they were added in (no node_order_by: inserting in sorted order would shift the paths
    of the units already loaded)."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("Provincial federation")
        CITY = "city", _("City federation")
        DISTRICT = "district", _("District federation")
        TOWN = "town", _("Town federation")
        STREET = "street", _("Street federation")
        ZONE = "zone", _("Development zone federation")

    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(
        _("division code"),
        max_length=12,
        blank=True,
        validators=[validate_division_code],
        help_text=_(
            "GB/T 2260 code (6 digits) of a province, city or district; the 12-digit statistical "
            "code of a town, street or zone. Starts with the parent's code."
        ),
    )
    level = models.CharField(_("level"), max_length=10, choices=Level)
    parent = optional_fk("self", _("parent federation"), related_name="children")
    # treebeard's tree fields, kept out of forms: save() sets them from the parent.
    path = models.CharField(max_length=255, unique=True, editable=False)
    depth = models.PositiveIntegerField(editable=False)
    numchild = models.PositiveIntegerField(default=0, editable=False)

    objects = DistrictUnionManager()

    class Meta:
        verbose_name = _("federation unit")
        verbose_name_plural = _("federation units")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=~Q(code=""), name="unions_districtunion_unique_code"
            ),
            models.CheckConstraint(
                condition=(
                    Q(level__in=GRASSROOTS_LEVELS, parent__isnull=False) | ~Q(level__in=GRASSROOTS_LEVELS)
                )
                & ~Q(level="province", parent__isnull=False),
                name="unions_districtunion_parent_matches_level",
                violation_error_message=_(
                    "A provincial federation has no parent; a town, street or zone federation must belong to a unit above it."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # save() moves the subtree when the parent changes.
        instance._loaded_parent_id = instance.__dict__.get("parent_id")
        return instance

    def save(self, *args, **kwargs) -> None:
        """Saves the unit; a new unit gets its place in the tree below its parent, and a unit
        whose parent changed moves with everything below it (the paths of the subtree)."""
        using = kwargs.get("using")
        if not self.path:
            manager = DistrictUnion.objects.db_manager(using)
            if self.parent_id:
                manager.add_child(self.parent, instance=self)
            else:
                manager.add_root(instance=self)
            self._loaded_parent_id = self.parent_id
            return
        if self._state.adding:
            super().save(*args, **kwargs)
            self._loaded_parent_id = self.parent_id
            return
        if kwargs.get("update_fields") is None:
            # Never write the tree fields from memory: a move elsewhere may have changed them.
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name not in self._TREE_FIELDS
            ]
        super().save(*args, **kwargs)
        if self.parent_id != getattr(self, "_loaded_parent_id", self.parent_id):
            manager = DistrictUnion.objects.db_manager(using)
            if self.parent_id:
                manager.move(self, self.parent, "last-child")
            else:
                manager.move(self, manager.get_last_root_node(), "last-sibling")
        self._loaded_parent_id = self.parent_id

    def full_clean(self, exclude=None, validate_unique=True, validate_constraints=True) -> None:
        # A new unit has no path yet: save() gives it one.
        exclude = {*(exclude or ()), *self._TREE_FIELDS}
        super().full_clean(exclude, validate_unique, validate_constraints)

    def clean(self) -> None:
        if self.level and self.level not in LEVEL_RANKS:
            return  # the field's own choices check reports it
        if not self.has_parent:
            if self.level in GRASSROOTS_LEVELS:
                raise ValidationError(
                    {"parent": _("A town, street or zone federation must belong to a unit above it.")},
                    code="town_without_parent",
                )
        else:
            self._clean_parent()
        self._clean_code()

    def _clean_parent(self) -> None:
        parent = self.parent
        if self.pk and (parent.pk == self.pk or (self.path and parent.path.startswith(self.path))):
            raise ValidationError(
                {"parent": _("A unit cannot belong to itself or to a unit below it.")}, code="tree_cycle"
            )
        if self.level == self.Level.PROVINCE:
            raise ValidationError(
                {"parent": _("A provincial federation cannot belong to another unit.")},
                code="province_has_parent",
            )
        if self.level and LEVEL_RANKS[parent.level] >= LEVEL_RANKS[self.level]:
            raise ValidationError(
                {
                    "parent": _(
                        "A %(level)s cannot belong to a %(parent_level)s: choose a unit of a higher level."
                    )
                    % {"level": self.get_level_display(), "parent_level": parent.get_level_display()}
                },
                code="parent_level",
            )
        if self.pk and self.level:
            below = DistrictUnion.objects.filter(parent_id=self.pk).values_list("level", flat=True)
            if any(LEVEL_RANKS[level] <= LEVEL_RANKS[self.level] for level in below):
                raise ValidationError(
                    {"level": _("The units below this one must stay on a lower level than it.")},
                    code="children_level",
                )

    def _clean_code(self) -> None:
        code = self.code
        if not code or not code.isdigit() or not self.level:
            return
        if self.level in GRASSROOTS_LEVELS:
            if len(code) != 12:
                raise ValidationError(
                    {"code": _("A town, street or zone has the 12-digit statistical division code.")},
                    code="code_length",
                )
        elif len(code) != 6:
            raise ValidationError(
                {"code": _("A province, city or district has the 6-digit GB/T 2260 code.")},
                code="code_length",
            )
        elif self.level == self.Level.PROVINCE and not code.endswith("0000"):
            raise ValidationError({"code": _("A province's code ends in 0000.")}, code="code_form")
        elif self.level == self.Level.CITY and (not code.endswith("00") or code.endswith("0000")):
            raise ValidationError(
                {"code": _("A city's code ends in 00 (and not in 0000).")}, code="code_form"
            )
        parent = self.parent if self.has_parent else None
        if parent and parent.code:
            prefix = parent.code[: CODE_PREFIX[parent.level]]
            if not code.startswith(prefix):
                raise ValidationError(
                    {
                        "code": _("The code must start with %(prefix)s, as the code of %(parent)s does.")
                        % {"prefix": prefix, "parent": parent.name}
                    },
                    code="code_prefix",
                )

    @property
    def has_parent(self) -> bool:
        """A parent is set: a saved unit, or one the directory import plans in the same file and
        has not saved yet (its id is still empty). No query."""
        return bool(self.parent_id) or DistrictUnion.parent.is_cached(self) and self.parent is not None

    @property
    def is_grassroots(self) -> bool:
        """A town, street or zone federation: where enterprises and visits mostly are."""
        return self.level in GRASSROOTS_LEVELS

    @property
    def is_district(self) -> bool:
        return self.level == self.Level.DISTRICT

    def subtree_ids(self) -> list[int]:
        """Ids of the unit and of everything below it, for filters given as literal id lists.
        Queries once, unless the unit has nothing below it."""
        if self.is_leaf():
            return [self.pk]
        return list(DistrictUnion.objects.subtree(self).values_list("pk", flat=True))

    @property
    def area_path(self) -> str:
        """The path of the subtree a cadre of this unit works in: a grassroots unit's parent's
        (the whole district, for a town), else the unit's own. No query."""
        return self.path[: -self.steplen] if self.is_grassroots and self.depth > 1 else self.path


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
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="enterprises",
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
        limit_choices_to={"level__in": GRASSROOTS_LEVELS},
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
        """The area the cadre works in (where visits may be hosted): the whole district for a
        town cadre, the unit's subtree for a cadre of a district, city or province. Needs unit."""
        return DistrictUnion.objects.filter(path__startswith=self.unit.area_path)


# Who changed a login (active, staff, name, groups), and when: admins see it in the user's history.
# The password hash and the last-login time stay out of the history.
simple_history.register(
    get_user_model(), app="unions", excluded_fields=["password", "last_login"], user_related_name="+"
)
