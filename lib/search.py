"""Free-text search boxes: the words typed, looked for in several text columns at once."""

from __future__ import annotations

from collections.abc import Sequence
from functools import reduce
from operator import or_

from django.db.models import Q, QuerySet

SEARCH_MAX = 100  # longer input is cut: nobody types more, and it ends up in URLs


def text_search(queryset: QuerySet, value: str | None, fields: Sequence[str]) -> QuerySet:
    """Rows where any of `fields` contains the text (case-insensitive); all rows for blank text."""
    value = (value or "").strip()[:SEARCH_MAX]
    if not value:
        return queryset
    return queryset.filter(reduce(or_, (Q(**{f"{name}__icontains": value}) for name in fields)))
