"""Step 2: the checks of one row, the directory lookups they need, and the Plan they fill."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from ..models import DistrictUnion
from .format import FALSE_WORDS, TRUE_WORDS, normalize_header


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class Change:
    row: int
    label: str
    fields: list[str] = field(default_factory=list)  # headers of the changed columns (updates)


@dataclass
class Plan:
    kind: str
    total: int = 0
    errors: list[RowError] = field(default_factory=list)
    added: list[Change] = field(default_factory=list)
    updated: list[Change] = field(default_factory=list)
    unchanged: int = 0
    ignored_headers: list[str] = field(default_factory=list)
    # What apply_plan() writes: (row values, existing object or None).
    to_create: list = field(default_factory=list)
    to_update: list = field(default_factory=list)

    @property
    def error_rows(self) -> int:
        return len({error.row for error in self.errors})

    @property
    def is_valid(self) -> bool:
        return not self.errors


class RowChecker:
    """Collects the errors of one row, by column."""

    def __init__(self, plan: Plan, number: int, values: dict[str, str], columns):
        self.plan, self.number, self.values = plan, number, values
        self.headers = {column.key: column.header for column in columns}
        self.ok = True

    def error(self, key: str, message: str) -> None:
        self.ok = False
        self.plan.errors.append(RowError(self.number, self.headers[key], message))

    def text(self, key: str, model_field: str | None = None, model=None, required=False) -> str:
        value = self.values.get(key, "")
        if required and not value:
            self.error(key, _("This value is required."))
        elif model is not None:
            max_length = model._meta.get_field(model_field or key).max_length
            if max_length and len(value) > max_length:
                self.error(
                    key,
                    _("At most %(max)d characters (this has %(length)d).")
                    % {"max": max_length, "length": len(value)},
                )
        return value

    def unit(self, key: str, index: UnitIndex, text: str, not_found: str) -> DistrictUnion | None:
        """The unit the text names (a name or a division code), or None and the row's error."""
        unit, problem = index.find(text)
        if unit is None:
            self.error(key, problem or not_found % {"name": text})
        return unit

    def count(self, key: str) -> int:
        value = self.values.get(key, "").replace(",", "").replace("，", "").replace(" ", "")
        if not value:
            return 0
        if not value.isdigit():
            self.error(key, _("Enter a whole number of 0 or more (not “%(value)s”).") % {"value": value})
            return 0
        return int(value)

    def boolean(self, key: str, default: bool) -> bool:
        value = self.values.get(key, "")
        if not value:
            return default
        if value.lower() in TRUE_WORDS:
            return True
        if value.lower() in FALSE_WORDS:
            return False
        self.error(key, _("Write “是” (yes) or “否” (no), not “%(value)s”.") % {"value": value})
        return default


def _unit_key(name: str) -> str:
    name = normalize_header(name)
    for suffix in ("总工会", "工会"):
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


class UnitIndex:
    """Finds a district/town union by its name (with or without 总工会) or its division code."""

    def __init__(self, units: Iterable[DistrictUnion]):
        self.by_code, self.by_name, self.by_short = {}, defaultdict(list), defaultdict(list)
        for unit in units:
            self.add(unit)

    def add(self, unit: DistrictUnion) -> None:
        """Adds a unit, or files it again under its new name or code (the unit import)."""
        if unit.code:
            self.by_code[unit.code] = unit
        for names, key in (
            (self.by_name, normalize_header(unit.name)),
            (self.by_short, _unit_key(unit.name)),
        ):
            if not any(other is unit for other in names[key]):
                names[key].append(unit)

    def find(self, text: str) -> tuple[DistrictUnion | None, str | None]:
        if text in self.by_code:
            return self.by_code[text], None
        found = self.by_name.get(normalize_header(text)) or self.by_short.get(_unit_key(text)) or []
        if len(found) == 1:
            return found[0], None
        if found:
            return None, _("Several units are called “%(name)s”: write the division code instead.") % {
                "name": text
            }
        return None, None

    def label(self, unit: DistrictUnion) -> str:
        """What an export writes: the name, or the code when the name alone is ambiguous."""
        if len(self.by_name[normalize_header(unit.name)]) == 1 or not unit.code:
            return unit.name
        return unit.code


def town_index() -> UnitIndex:
    """Queries the towns and zones once."""
    return UnitIndex(DistrictUnion.objects.towns())


def differs(instance, name: str, value) -> bool:
    """Compares without loading related rows: a foreign key by its id."""
    if isinstance(value, DistrictUnion):
        return getattr(instance, f"{name}_id") != value.pk
    return getattr(instance, name) != value


def sort_row(plan: Plan, change: Change, row: dict, current, changed: list[str]) -> None:
    """File a checked row under add (no current object), update (something changed) or unchanged."""
    if current is None:
        plan.added.append(change)
        plan.to_create.append((row, None))
    elif changed:
        change.fields = changed
        plan.updated.append(change)
        plan.to_update.append((row, current))
    else:
        plan.unchanged += 1
