"""The menu's counts: unread notices (the bell) and, for a leader, visits waiting for review."""

from __future__ import annotations

from django.db.models import Count, IntegerField, Subquery, Value
from django.db.models.functions import Coalesce

from outreach.models import Notice, Visit
from unions.models import Cadre


def _count(queryset) -> Coalesce:
    """COUNT of a queryset as a scalar sub-select (no GROUP BY: one row, never empty)."""
    counted = queryset.order_by().annotate(one=Value(1)).values("one").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted[:1], output_field=IntegerField()), 0)


def menu_counts(cadre: Cadre) -> dict[str, int]:
    """{"unread": n, "queue": n}: both in one query (the queue only for a leader; its scope
    ids are fetched once per request, as the lists do)."""
    unread = Notice.objects.for_inbox(cadre).unread()
    fields = {"unread": _count(unread)}
    if cadre.is_leader:
        fields["queue"] = _count(Visit.objects.review_queue(cadre))
    counts = Cadre.objects.filter(pk=cadre.pk).order_by().annotate(**fields).values(*fields).first() or {}
    return {"unread": counts.get("unread", 0), "queue": counts.get("queue", 0)}
