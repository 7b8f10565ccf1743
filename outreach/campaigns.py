"""What a nominee's page (enterprise, visit, a cadre's year) shows of the campaigns."""

from __future__ import annotations

import datetime

from unions.models import Cadre

from .models import Campaign, CampaignCategory, Nomination


def nominee_context(viewer: Cadre, today: datetime.date, **nominee) -> dict:
    """For a nominee's page (enterprise=…, cadre=… or visit=…): the campaigns it was part of,
    and for a leader the open categories it may be nominated in. Two queries."""
    ((field, obj),) = nominee.items()
    nominations = list(
        Nomination.objects.alive()
        .filter(**nominee, category__campaign__is_deleted=False)
        .select_related("category", "category__campaign")
        .order_by("-created_at")
    )
    categories = []
    if viewer.is_leader:
        categories = list(
            CampaignCategory.objects.filter(
                nominee_kind=field,
                campaign__in=Campaign.objects.visible_to(viewer).filter(
                    nomination_opens__lte=today, nomination_closes__gte=today, published_at__isnull=True
                ),
            )
            .exclude(pk__in=[n.category_id for n in nominations])
            .select_related("campaign")
        )
    return {
        "nominations": nominations,
        "nominate_categories": categories,
        "nominee_field": field,
        "nominee_pk": obj.pk,
    }
