"""Settings set at any level of the tree and inherited downwards (time limits, evaluation
weights, year quotas): a unit's own row, else the nearest unit above it that has one, else the
installation's default (a row without a unit, or the built-in values). The one place of that rule."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext

from unions.models import DistrictUnion


def ancestor_paths(units: Iterable[DistrictUnion]) -> set[str]:
    """The materialised paths of the units and of every unit above them (prefixes of theirs).
    No query."""
    return {
        unit.path[:end] for unit in units for end in range(unit.steplen, len(unit.path) + 1, unit.steplen)
    }


class InheritedQuerySet(models.QuerySet):
    def lookup(self, units: Iterable[DistrictUnion]) -> dict[tuple, models.Model]:
        """{(unit path or None for the default, *key): row} of these units, of every unit above
        them and the default rows, for InheritedSetting.applying. Queries once."""
        key = self.model.INHERIT_KEY
        rows = self.filter(Q(unit__path__in=ancestor_paths(units)) | Q(unit__isnull=True)).select_related(
            "unit"
        )
        return {
            (row.unit.path if row.unit_id else None, *(getattr(row, f) for f in key)): row for row in rows
        }


class InheritedSetting:
    """For a model with a `unit` (empty: the installation's default, where the model allows it)
    whose rows apply to the unit and everything below it. INHERIT_KEY names the fields that
    make up one setting besides the unit (a role, a category)."""

    INHERIT_KEY: tuple[str, ...] = ()

    @classmethod
    def applying(cls, rows: dict[tuple, models.Model], unit: DistrictUnion, *key, **defaults):
        """The unit's own row, else the nearest one above it, else the default row, else an
        unsaved row of the built-in values (`defaults` fill the key fields). No query."""
        for end in range(len(unit.path), 0, -unit.steplen):
            if found := rows.get((unit.path[:end], *key)):
                return found
        if found := rows.get((None, *key)):
            return found
        return cls(**dict(zip(cls.INHERIT_KEY, key, strict=True)), **defaults)

    @property
    def is_default(self) -> bool:
        """Not set by any unit: the installation's default row or the built-in values."""
        return self.pk is None or self.unit_id is None

    @property
    def source_label(self) -> str:
        """Where the value comes from, as every page shows it: 来自 <unit> or 默认. Needs unit."""
        if self.is_default:
            return gettext("default")
        return gettext("from %(unit)s") % {"unit": self.unit.name}
