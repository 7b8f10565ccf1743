"""Pagination that never counts a whole table.

Django's Paginator counts every matching row to show "page 3 of 500 000"; at ten million
visits that count is most of the page's time. `CappedPaginator` counts at most `cap` rows past
the page asked for: a leader still sees the exact number when a filter gives a few hundred
results, and "1,000+" (with a working "next") when it gives more.
"""

from __future__ import annotations

from functools import cached_property

from django.core.paginator import Paginator

# Beyond this page a list must be narrowed by its filters (each page is an OFFSET scan).
MAX_PAGE = 500


class CappedPaginator(Paginator):
    cap = 1000

    def __init__(self, object_list, per_page, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.limit = self.cap
        self._more = False

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
        counted = self.object_list.order_by()[: self.limit + 1].count()  # any rows will do: no sort
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
