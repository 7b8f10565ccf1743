"""民情民意 items: a leader tags a visit's opinions and suggestions with themes, merges the
duplicates, forwards an item to whoever can act on it and records the answer."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from unions.models import Cadre

from ..models import Opinion, OpinionTheme, Visit
from .locking import lock_current


def _refuse(message: str, code: str) -> None:
    raise ValidationError(message, code=code)


def _check_manager(opinion: Opinion, actor: Cadre) -> None:
    if not opinion.is_managed_by(actor):
        _refuse(gettext("Only the area's leaders manage the opinions of its visits."), "not_leader")


@transaction.atomic
def opinion_tag(*, visit: Visit, actor: Cadre, source: str, theme: OpinionTheme, text: str) -> Opinion:
    """A leader of the visit's town files one item of the visit's opinions or suggestions
    under a theme. Only a done visit (submitted or reviewed) is tagged."""
    if not (actor.is_leader and visit.town_id in actor.scope_unit_ids):
        _refuse(gettext("Only the area's leaders manage the opinions of its visits."), "not_leader")
    if visit.is_deleted or not visit.counts_as_done:
        _refuse(gettext("Only a submitted or reviewed visit can be tagged."), "not_done")
    if not theme.is_active:
        _refuse(gettext("This theme is no longer in use."), "theme_retired")
    opinion = Opinion(
        visit=visit,
        town_id=visit.town_id,
        date=visit.date,
        source=source,
        theme=theme,
        text=text.strip(),
        tagged_by=actor,
    )
    opinion.full_clean()
    opinion._change_reason = gettext("Tagged")
    opinion.save()
    return opinion


@transaction.atomic
def opinion_update(
    *, opinion: Opinion, actor: Cadre, theme: OpinionTheme, text: str, expected_version: int | None = None
) -> Opinion:
    """Another theme or a condensed text."""
    fresh = lock_current(opinion, expected_version=expected_version)
    _check_manager(fresh, actor)
    if theme.pk != fresh.theme_id and not theme.is_active:
        _refuse(gettext("This theme is no longer in use."), "theme_retired")
    fresh.theme, fresh.text = theme, text.strip()
    fresh.version += 1
    fresh.full_clean()
    fresh._change_reason = gettext("Changed")
    fresh.save()
    return fresh


@transaction.atomic
def opinion_merge(
    *, opinion: Opinion, original: Opinion, actor: Cadre, expected_version: int | None = None
) -> Opinion:
    """Mark `opinion` as a duplicate of `original` (both keep their visits). The chain stays one
    level deep: a duplicate of a duplicate points at its original, and the items that pointed
    at `opinion` follow it to the original."""
    fresh = lock_current(opinion, expected_version=expected_version)
    _check_manager(fresh, actor)
    target = lock_current(original, expected_version=None)
    if not target.is_managed_by(actor):
        _refuse(gettext("Only the area's leaders manage the opinions of its visits."), "not_leader")
    if target.duplicate_of_id:
        target = lock_current(target.duplicate_of, expected_version=None)
    if target.pk == fresh.pk:
        _refuse(gettext("An item cannot be a duplicate of itself."), "self")
    for follower in fresh.duplicates.alive().select_for_update():
        follower.duplicate_of = target
        follower.version += 1
        follower._change_reason = gettext("Merged into #%(id)s") % {"id": target.pk}
        follower.save()
    fresh.duplicate_of = target
    fresh.version += 1
    fresh._change_reason = gettext("Merged into #%(id)s") % {"id": target.pk}
    fresh.save()
    return fresh


@transaction.atomic
def opinion_unmerge(*, opinion: Opinion, actor: Cadre, expected_version: int | None = None) -> Opinion:
    """The item stands on its own again."""
    fresh = lock_current(opinion, expected_version=expected_version)
    _check_manager(fresh, actor)
    fresh.duplicate_of = None
    fresh.version += 1
    fresh._change_reason = gettext("No longer a duplicate")
    fresh.save()
    return fresh


@transaction.atomic
def opinion_forward(
    *,
    opinion: Opinion,
    actor: Cadre,
    forwarded_to: str,
    forwarded_on: datetime.date,
    expected_version: int | None = None,
) -> Opinion:
    """The item went to whoever can act on it (区人社局, 镇党委 …): to whom and when. Forwarding
    again (to someone else) keeps the answer, if one came back."""
    fresh = lock_current(opinion, expected_version=expected_version)
    _check_manager(fresh, actor)
    if fresh.is_duplicate:
        _refuse(gettext("Forward the original item, not its duplicate."), "duplicate")
    if forwarded_on > timezone.localdate():
        _refuse(gettext("The date cannot be in the future."), "future")
    fresh.forwarded_to, fresh.forwarded_on = forwarded_to.strip(), forwarded_on
    if fresh.status == Opinion.Status.OPEN:
        fresh.status = Opinion.Status.FORWARDED
    fresh.version += 1
    fresh.full_clean()
    fresh._change_reason = gettext("Forwarded")
    fresh.save()
    return fresh


@transaction.atomic
def opinion_answer(
    *,
    opinion: Opinion,
    actor: Cadre,
    answer: str,
    answered_on: datetime.date,
    expected_version: int | None = None,
) -> Opinion:
    """The answer came back from where the item was forwarded."""
    fresh = lock_current(opinion, expected_version=expected_version)
    _check_manager(fresh, actor)
    if fresh.status == Opinion.Status.OPEN:
        _refuse(gettext("Record to whom the item was forwarded first."), "not_forwarded")
    if answered_on > timezone.localdate():
        _refuse(gettext("The date cannot be in the future."), "future")
    if fresh.forwarded_on and answered_on < fresh.forwarded_on:
        _refuse(gettext("The answer cannot come before the item was forwarded."), "before_forward")
    fresh.answer, fresh.answered_on = answer.strip(), answered_on
    fresh.status = Opinion.Status.ANSWERED
    fresh.version += 1
    fresh.full_clean()
    fresh._change_reason = gettext("Answered")
    fresh.save()
    return fresh


@transaction.atomic
def opinion_delete(*, opinion: Opinion, actor: Cadre, expected_version: int | None = None) -> Opinion:
    """Soft delete. The item's duplicates stay: the oldest becomes the original of the others."""
    fresh = lock_current(opinion, expected_version=expected_version)
    _check_manager(fresh, actor)
    if fresh.briefs.filter(status="published", is_deleted=False).exists():
        _refuse(gettext("This item is in a published brief: it stays."), "published")
    followers = list(fresh.duplicates.alive().select_for_update().order_by("date", "id"))
    if followers:
        heir, *others = followers
        heir.duplicate_of = None
        heir.version += 1
        heir._change_reason = gettext("The original was deleted")
        heir.save()
        for follower in others:
            follower.duplicate_of = heir
            follower.version += 1
            follower._change_reason = gettext("Merged into #%(id)s") % {"id": heir.pk}
            follower.save()
    fresh.duplicate_of = None
    fresh.soft_delete()
    return fresh


def opinions_follow_visit(*, visit: Visit) -> int:
    """A done visit edited before its review may move to another date or host: its items follow
    (their town and date are the visit's, stored for the counts). One query."""
    return Opinion.objects.filter(visit=visit).update(town_id=visit.town_id, date=visit.date)
