"""Pagination that never counts a whole table.

Django's Paginator counts every matching row to show "page 3 of 500 000"; at ten million
visits that count is most of the page's time. `CappedPaginator` counts at most `cap` rows past
the page asked for: a leader still sees the exact number when a filter gives a few hundred
results, and "1,000+" (with a working "next") when it gives more.

With `ids_first=True` a page is read in two steps: the ids of its rows (the list's filters and
order, nothing else: PostgreSQL answers it from a covering index without touching the table),
then those rows with their joins. Walking the visits by date until 20 of a town's turn up then
reads a few hundred index pages, not tens of thousands of table rows, at any table size.
"""

from __future__ import annotations

from functools import cached_property

from django.core.paginator import Paginator
from django.db.models import QuerySet

# Beyond this page a list must be narrowed by its filters (each page is an OFFSET scan).
MAX_PAGE = 500
# A heading's count ("8 visits waiting for my review") counts at most this many rows.
COUNT_CAP = 1000


def capped_count(rows: QuerySet, cap: int | None = None) -> tuple[int, bool]:
    """(n, more): the number of rows, counted up to `cap` (COUNT_CAP), and whether there are
    more. One query that stops after cap + 1 rows, whatever the table's size."""
    cap = COUNT_CAP if cap is None else cap
    counted = rows.order_by().values("pk")[: cap + 1].count()
    return min(counted, cap), counted > cap


def rows_ids_first(rows: QuerySet, bottom: int, top: int) -> list:
    """rows[bottom:top] in two queries: their ids in the queryset's order (the filters and the
    order alone, which PostgreSQL can read from a covering index and stop after `top`), then
    those rows with their joins."""
    ids = list(rows.values_list("pk", flat=True)[bottom:top])
    found = {row.pk: row for row in rows.order_by().filter(pk__in=ids)}
    return [found[pk] for pk in ids if pk in found]


class CappedPaginator(Paginator):
    cap = 1000

    def __init__(self, object_list, per_page, *, ids_first: bool = False, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.limit = self.cap
        self._more = False
        self.ids_first = ids_first and isinstance(object_list, QuerySet) and object_list.ordered

    def page(self, number):
        if not self.ids_first:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return self._get_page(rows_ids_first(self.object_list, bottom, top), number, self)

    def get_page(self, number):
        try:
            wanted = min(max(int(number), 1), MAX_PAGE)
        except (TypeError, ValueError):
            wanted = 1
        self.limit = max(self.cap, wanted * self.per_page + self.cap)
        return super().get_page(number)

    @cached_property
    def count(self) -> int:
        """The number of rows, counted up to `limit` (one more to know whether there are more)."""
        # Any rows will do: no sort, and only their ids (no annotation computed per row).
        rows = self.object_list.order_by()
        if isinstance(rows, QuerySet):
            rows = rows.values("pk")
        counted = rows[: self.limit + 1].count()
        self._more = counted > self.limit
        return min(counted, self.limit)

    @property
    def more(self) -> bool:
        """True when there are more rows than were counted: the count reads "1,000+"."""
        return self.count is not None and self._more

    @cached_property
    def num_pages(self) -> int:
        """The pages counted so far (one more page is always offered while there are more rows)."""
        return min(super().num_pages, MAX_PAGE)
