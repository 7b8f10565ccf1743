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

from django.core.exceptions import EmptyResultSet
from django.db.models import ForeignObject, IntegerField
from django.db.models.fields.related_lookups import RelatedIn
from django.db.models.lookups import In

SHORT = 50  # up to this many values, Django's own IN list


def _as_array(lookup, compiler, connection):
    """(sql, params) as `lhs = ANY(%s)`, or None when Django's own IN is kept."""
    if not lookup.rhs_is_direct_value():
        return None
    values = [value for value in lookup.rhs if value is not None]
    if len(values) <= SHORT or not all(type(value) is int for value in values):
        return None
    if not values:
        raise EmptyResultSet
    lhs, lhs_params = lookup.process_lhs(compiler, connection)
    # One array literal ('{1,2,3}'): PostgreSQL reads it in one go, where ARRAY[1, 2, 3] (what
    # psycopg2 makes of a list) is an expression of as many constants as the IN list.
    return f"{lhs} = ANY(%s::bigint[])", (*lhs_params, "{" + ",".join(map(str, sorted(set(values)))) + "}")


class IntegerIn(In):
    def as_postgresql(self, compiler, connection):
        return _as_array(self, compiler, connection) or self.as_sql(compiler, connection)


class RelatedIntegerIn(RelatedIn):
    def as_postgresql(self, compiler, connection):
        return _as_array(self, compiler, connection) or self.as_sql(compiler, connection)


def register() -> None:
    IntegerField.register_lookup(IntegerIn)
    ForeignObject.register_lookup(RelatedIntegerIn)
