"""`__in` with a long list of integer ids, sent to PostgreSQL as one array: `col = ANY(%s)`.

The scopes are literal id lists (Cadre.scope_unit_ids / scope_cadre_ids, reports.queries.Scope)
so that PostgreSQL can use the indexes; a province's list holds 30,000 cadres. Django prepares
each value of an IN list on its own (about 80 ms for 30,000 ids, in every query of a report) and
psycopg2 quotes each placeholder, and PostgreSQL parses each constant; one array literal costs a
fraction of that, and PostgreSQL plans `= ANY('{…}'::bigint[])` as it plans the IN list (it
rewrites the one into the other).

Registered for integer fields and foreign keys in unions.apps; other databases, short lists,
subqueries and non-integer values keep Django's own lookup.
"""

from __future__ import annotations

from django.core.exceptions import FieldError
from django.db.models import ForeignObject, IntegerField
from django.db.models.fields.related_lookups import RelatedIn
from django.db.models.lookups import In

SHORT = 50  # up to this many values, Django's own IN list


class LongListAsArray:
    """On PostgreSQL, `lhs = ANY('{…}'::bigint[])` for more than SHORT integers; else Django's IN.
    On every database, a long list of ints for an integer column is taken as it is: Django
    would prepare each value (two or three calls each, about 50 ms for 30,000 ids in every
    query of a province's report) only to get the same ints back."""

    def get_prep_lookup(self):
        if self._long_int_list():
            return list(self.rhs)
        return super().get_prep_lookup()

    def _long_int_list(self) -> bool:
        rhs = self.rhs
        if not isinstance(rhs, (list, tuple, set, frozenset)) or len(rhs) <= SHORT:
            return False
        field = self.lhs.output_field
        try:
            field = getattr(field, "target_field", field)  # a foreign key: the column it points to
        except FieldError:  # a relation over several columns
            return False
        return isinstance(field, IntegerField) and all(type(value) is int for value in rhs)

    def as_postgresql(self, compiler, connection):
        values = [value for value in self.rhs if value is not None] if self.rhs_is_direct_value() else []
        if len(values) <= SHORT or not all(type(value) is int for value in values):
            return self.as_sql(compiler, connection)
        lhs, lhs_params = self.process_lhs(compiler, connection)
        # One array literal ('{1,2,3}'): PostgreSQL reads it in one go, where ARRAY[1, 2, 3] (what
        # psycopg2 makes of a list) is an expression of as many constants as the IN list.
        return f"{lhs} = ANY(%s::bigint[])", (
            *lhs_params,
            "{" + ",".join(map(str, sorted(set(values)))) + "}",
        )


class IntegerIn(LongListAsArray, In):
    pass


class RelatedIntegerIn(LongListAsArray, RelatedIn):
    pass


def register() -> None:
    IntegerField.register_lookup(IntegerIn)
    ForeignObject.register_lookup(RelatedIntegerIn)
