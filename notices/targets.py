"""Where a notice leads. The object's own page stays the source of truth: a notice whose object
was deleted or is no longer visible to its recipient leads nowhere (a polite page, no leak)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.http import urlencode

from lib.months import month_label
from outreach.models import Concern, Notice, Visit

Kind = Notice.Kind


def target_url(notice: Notice) -> str | None:
    """The page the notice is about, or None when its recipient may no longer open it. Queries
    at most once (the object, through the recipient's scope)."""
    cadre = notice.recipient
    if notice.kind in (Kind.VISIT_RETURNED, Kind.VISIT_REVIEWED):
        if notice.visit_id and Visit.objects.visible_to(cadre).filter(pk=notice.visit_id).exists():
            return reverse("outreach:visit_detail", args=[notice.visit_id])
        return None
    if notice.concern_id is not None or notice.kind in (
        Kind.PROBLEM_HANDED_OVER,
        Kind.PROBLEM_ESCALATED,
        Kind.PROBLEM_DUE_SOON,
        Kind.PROBLEM_OVERDUE,
    ):
        if notice.concern_id and Concern.objects.visible_to(cadre).filter(pk=notice.concern_id).exists():
            return reverse("outreach:concern_detail", args=[notice.concern_id])
        return None
    if notice.kind == Kind.DAYS_MISSING:
        query = {"month": month_label(notice.period)} if notice.period else {}
        return f"{reverse('outreach:my_month')}?{urlencode(query)}"
    if notice.kind in (Kind.CADRES_BEHIND, Kind.MONTHLY_REPORT):
        if not cadre.is_leader or notice.unit_id not in cadre.scope_unit_ids:
            return None
        query = {"unit": notice.unit_id, **({"month": month_label(notice.period)} if notice.period else {})}
        return f"{reverse('reports:monthly')}?{urlencode(query)}"
    if notice.kind == Kind.WEEKLY_DIGEST:
        return reverse("outreach:review_queue") if cadre.is_leader else reverse("home")
    return reverse("notices:inbox")
