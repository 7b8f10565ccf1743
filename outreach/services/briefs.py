"""民情专报: a leader drafts a unit's brief for a month or a quarter, picks the items, writes a
summary per theme and publishes it; a published brief no longer changes."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from unions.models import Cadre

from ..models import Brief, BriefSummary, Opinion
from .locking import lock_current


def _refuse(message: str, code: str) -> None:
    raise ValidationError(message, code=code)


def _check_editable(brief: Brief, actor: Cadre) -> None:
    if not brief.is_editable_by(actor):
        if brief.is_draft:
            _refuse(gettext("Only the unit's leaders edit its briefs."), "not_leader")
        _refuse(gettext("A published brief no longer changes."), "published")


@transaction.atomic
def brief_create(*, actor: Cadre, period: str, year: int, number: int, title: str = "") -> Brief:
    """A draft brief of the leader's own unit for the month or quarter."""
    if not actor.is_leader:
        _refuse(gettext("Only the unit's leaders edit its briefs."), "not_leader")
    brief = Brief(unit=actor.unit, period=period, year=year, number=number, created_by=actor)
    brief.title = title.strip() or gettext("%(unit)s 民情专报 %(period)s") % {
        "unit": actor.unit.name,
        "period": brief.period_label,
    }
    brief.full_clean()
    brief._change_reason = gettext("Drafted")
    brief.save()
    return brief


def _bump(brief: Brief, reason: str) -> None:
    brief.version += 1
    brief._change_reason = reason
    brief.save()


@transaction.atomic
def brief_set_items(
    *,
    brief: Brief,
    actor: Cadre,
    add: Iterable[Opinion] = (),
    remove: Iterable[Opinion] = (),
    expected_version: int | None = None,
) -> Brief:
    """Take items into the draft or leave them out. Only the period's items of the unit's
    subtree are taken (Brief.candidates); the others are refused."""
    fresh = lock_current(brief, expected_version=expected_version)
    _check_editable(fresh, actor)
    add_ids = {o.pk for o in add}
    allowed = set(fresh.candidates().filter(pk__in=add_ids).values_list("pk", flat=True))
    if add_ids - allowed:
        _refuse(gettext("Only items of the brief's period and area can be added."), "outside")
    remove_ids = {o.pk for o in remove}
    if not add_ids and not remove_ids:
        _refuse(gettext("Choose the items to add or to leave out."), "nothing")
    fresh.skip_history_when_saving = True
    try:
        fresh.items.add(*add_ids)
        fresh.items.remove(*remove_ids)
    finally:
        del fresh.skip_history_when_saving
    _bump(fresh, gettext("Items changed"))
    return fresh


@transaction.atomic
def brief_save_summaries(
    *, brief: Brief, actor: Cadre, title: str, summaries: dict[int, str], expected_version: int | None = None
) -> Brief:
    """The title and the summary of each theme (theme id → text); an empty text clears it."""
    fresh = lock_current(brief, expected_version=expected_version)
    _check_editable(fresh, actor)
    fresh.title = title.strip() or fresh.title
    existing = {s.theme_id: s for s in fresh.summaries.all()}
    for theme_id, text in summaries.items():
        text = text.strip()
        row = existing.get(theme_id)
        if row is None:
            if text:
                BriefSummary.objects.create(brief=fresh, theme_id=theme_id, summary=text)
        elif row.summary != text:
            row.summary = text
            row.save()
    fresh.full_clean()
    _bump(fresh, gettext("Summaries saved"))
    return fresh


@transaction.atomic
def brief_publish(*, brief: Brief, actor: Cadre, expected_version: int | None = None) -> Brief:
    """Draft → published: the brief is issued and no longer changes. It needs an item."""
    fresh = lock_current(brief, expected_version=expected_version)
    _check_editable(fresh, actor)
    if not fresh.items.alive().exists():
        _refuse(gettext("Add at least one item before publishing."), "empty")
    fresh.status = Brief.Status.PUBLISHED
    fresh.published_by, fresh.published_at = actor, timezone.now()
    fresh.full_clean()
    _bump(fresh, gettext("Published"))
    return fresh


@transaction.atomic
def brief_delete(*, brief: Brief, actor: Cadre, expected_version: int | None = None) -> Brief:
    """A draft is soft-deleted (an administrator can restore it); a published brief stays."""
    fresh = lock_current(brief, expected_version=expected_version)
    _check_editable(fresh, actor)
    fresh.is_deleted = True
    _bump(fresh, gettext("Deleted"))
    return fresh
