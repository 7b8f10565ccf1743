"""The menu's counts: unread notices (the bell) and, for a leader, visits waiting for review."""

from __future__ import annotations

from django.db.models import Count, IntegerField, Subquery, Value
from django.db.models.functions import Coalesce

from outreach.models import Notice, Visit
from unions.models import Cadre

# A badge counts up to this and then says "99+": a district's queue may hold thousands of
# visits, and counting them all on every page would grow with the table.
MENU_CAP = 99


def _count(queryset) -> Coalesce:
    """How many rows, counting at most MENU_CAP + 1, as a scalar sub-select (one row, never empty)."""
    first = queryset.order_by().values("pk")[: MENU_CAP + 1]
    counted = (
        queryset.model.objects.filter(pk__in=Subquery(first))
        .order_by()
        .annotate(one=Value(1))
        .values("one")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted[:1], output_field=IntegerField()), 0)


def badge(count: int) -> str:
    """What the badge says: "" for none, the number, or "99+" past the cap."""
    if not count:
        return ""
    return f"{MENU_CAP}+" if count > MENU_CAP else str(count)


def menu_counts(cadre: Cadre) -> dict[str, str]:
    """{"unread": "3", "queue": "99+"}, the badges' texts ("" for none): both in one query (the
    queue only for a leader; its scope ids are fetched once per request, as the lists do)."""
    unread = Notice.objects.for_inbox(cadre).unread()
    fields = {"unread": _count(unread)}
    if cadre.is_leader:
        fields["queue"] = _count(Visit.objects.review_queue(cadre))
    counts = Cadre.objects.filter(pk=cadre.pk).order_by().annotate(**fields).values(*fields).first() or {}
    return {"unread": badge(counts.get("unread", 0)), "queue": badge(counts.get("queue", 0))}
