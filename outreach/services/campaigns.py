"""Campaigns (评选): leaders nominate with the app's evidence attached, the organising unit's
leaders score and decide within the quota, then publish the list."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext

from unions.models import Cadre, DistrictUnion, EnterpriseUnion

from ..models import Campaign, CampaignCategory, Concern, Nomination, Visit
from .locking import lock_current

# The evidence looks back one year from the day of the nomination.
EVIDENCE_DAYS = 365


def _refuse(message: str, code: str) -> None:
    raise ValidationError(message, code=code)


def _problem_figures(concerns) -> dict:
    figures = concerns.aggregate(
        problems=Count("pk"),
        problems_solved=Count("pk", filter=Q(status__in=[Concern.Status.RESOLVED, Concern.Status.CLOSED])),
        rated=Count("pk", filter=~Q(satisfaction="")),
        content=Count("pk", filter=Q(satisfaction__in=Concern.CONTENT)),
    )
    rated, content = figures.pop("rated"), figures.pop("content")
    figures["satisfaction"] = f"{round(100 * content / rated)}%" if rated else "—"
    return figures


def _yes(flag: bool) -> str:
    return gettext("yes") if flag else gettext("no")


def nomination_evidence(nominee, *, today: datetime.date) -> dict:
    """The figures the app holds on a nominee, as text and numbers that can be stored (JSON):
    the year before `today` for an enterprise or a cadre, the visit itself for a visit.
    Queries two to three times."""
    start = today - datetime.timedelta(days=EVIDENCE_DAYS)
    period = f"{start:%Y-%m-%d} — {today:%Y-%m-%d}"
    concerns = Concern.objects.alive()
    if isinstance(nominee, EnterpriseUnion):
        visits = Visit.objects.alive().done().filter(host_enterprise=nominee, date__range=(start, today))
        rate = f"{round(100 * nominee.members / nominee.employees)}%" if nominee.employees else "—"
        return {
            "period": period,
            "visits": visits.count(),
            **_problem_figures(concerns.filter(enterprise=nominee, received_on__range=(start, today))),
            "has_union": _yes(nominee.has_union),
            "has_office": _yes(nominee.has_office),
            "employees": nominee.employees,
            "members": nominee.members,
            "membership": rate,
            "fulltime_cadre": nominee.fulltime_cadre_name or "—",
        }
    if isinstance(nominee, Cadre):
        visits = Visit.objects.alive().done().filter(cadre=nominee, date__range=(start, today))
        months = (
            visits.values("date__year", "date__month")
            .annotate(kinds=Count("kind", distinct=True))
            .filter(kinds=len(Visit.Kind.values))
        )
        return {
            "period": period,
            "visits": visits.count(),
            "months_complete": len(months),
            **_problem_figures(concerns.filter(owner=nominee, received_on__range=(start, today))),
        }
    return {
        "kind": nominee.get_kind_display(),
        "date": f"{nominee.date:%Y-%m-%d}",
        "host": str(nominee.host),
        **_problem_figures(concerns.filter(visit=nominee)),
    }


def _nominee_town_id(nominee) -> int:
    if isinstance(nominee, EnterpriseUnion):
        return nominee.district_union_id
    if isinstance(nominee, Cadre):
        return nominee.unit_id
    return nominee.town_id


KIND_OF = {
    CampaignCategory.NomineeKind.ENTERPRISE: EnterpriseUnion,
    CampaignCategory.NomineeKind.CADRE: Cadre,
    CampaignCategory.NomineeKind.VISIT: Visit,
}


@transaction.atomic
def nomination_create(
    *, category: CampaignCategory, actor: Cadre, nominee, reason: str, today: datetime.date | None = None
) -> Nomination:
    """A leader nominates something in his or her scope, while nominations are open; the
    evidence is computed now and stored with the nomination (a snapshot: it does not drift
    as later visits come in). Needs category.campaign.unit and the nominee's town."""
    today = today or timezone.localdate()
    campaign = category.campaign
    if not campaign.can_nominate(actor, today):
        if not actor.is_leader:
            _refuse(gettext("Only leaders nominate."), "not_leader")
        _refuse(gettext("Nominations are not open for this campaign."), "not_open")
    if not isinstance(nominee, KIND_OF[category.nominee_kind]):
        _refuse(
            gettext("This category takes %(kind)s.") % {"kind": category.get_nominee_kind_display()}, "kind"
        )
    town_id = _nominee_town_id(nominee)
    in_campaign = DistrictUnion.objects.filter(pk=town_id, path__startswith=campaign.unit.path)
    if town_id not in actor.scope_unit_ids or not in_campaign.exists():
        _refuse(gettext("You can nominate only what lies in your own area."), "out_of_scope")
    if isinstance(nominee, Visit) and not nominee.counts_as_done:
        _refuse(gettext("Only a visit that was done can be nominated."), "not_done")
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": gettext("Give the reason for the nomination.")}, code="required")
    field = category.nominee_kind
    nomination = Nomination(
        category=category,
        town_id=town_id,
        reason=reason,
        nominated_by=actor,
        evidence=nomination_evidence(nominee, today=today),
        **{field: nominee},
    )
    nomination.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            nomination.save()
    except IntegrityError:
        _refuse(gettext("This nominee is already nominated in this category."), "duplicate")
    return nomination


@transaction.atomic
def nomination_withdraw(
    *, nomination: Nomination, actor: Cadre, today: datetime.date | None = None
) -> Nomination:
    """A leader of the nominee's area withdraws a nomination not yet reviewed, while nominations
    are open (softly: the row and its history stay; the nominee may be nominated again)."""
    today = today or timezone.localdate()
    fresh = lock_current(nomination, expected_version=None)
    campaign = Campaign.objects.select_related("unit").get(pk=fresh.category.campaign_id)
    if not campaign.can_nominate(actor, today) or fresh.town_id not in actor.scope_unit_ids:
        _refuse(gettext("Nominations are not open for this campaign."), "not_open")
    if fresh.is_deleted or fresh.status != Nomination.Status.NOMINATED:
        _refuse(gettext("Only a nomination not yet reviewed can be withdrawn."), "reviewed")
    fresh.is_deleted = True
    fresh.version += 1
    fresh.save()
    return fresh


def _lock_for_review(nomination: Nomination, actor: Cadre, expected_version, today) -> Nomination:
    fresh = lock_current(nomination, expected_version=expected_version)
    campaign = Campaign.objects.select_related("unit").get(pk=fresh.category.campaign_id)
    if not campaign.can_review(actor):
        _refuse(gettext("Only the leaders of the organising unit review the nominations."), "not_reviewer")
    phase = campaign.phase_on(today)
    if phase == Campaign.Phase.PUBLISHED:
        _refuse(gettext("The results are published: nominations no longer change."), "published")
    if phase != Campaign.Phase.REVIEWING:
        _refuse(
            gettext("Nominations are reviewed after they close, until %(date)s.")
            % {"date": f"{campaign.review_closes:%Y-%m-%d}"},
            "not_reviewing",
        )
    return fresh


@transaction.atomic
def nomination_score(
    *,
    nomination: Nomination,
    actor: Cadre,
    score: Decimal,
    note: str = "",
    expected_version: int | None = None,
    today: datetime.date | None = None,
) -> Nomination:
    """nominated → scored (a scored one may be scored again until it is decided)."""
    today = today or timezone.localdate()
    fresh = _lock_for_review(nomination, actor, expected_version, today)
    if fresh.is_decided:
        _refuse(gettext("This nomination has been decided already."), "decided")
    if score is None or not Decimal("0") <= score <= Decimal("100"):
        raise ValidationError({"score": gettext("A score from 0 to 100.")}, code="score")
    fresh.score = score
    fresh.review_note = note.strip() or fresh.review_note
    fresh.status = Nomination.Status.SCORED
    return _save_review(fresh, actor)


@transaction.atomic
def nomination_decide(
    *,
    nomination: Nomination,
    actor: Cadre,
    selected: bool,
    expected_version: int | None = None,
    today: datetime.date | None = None,
) -> Nomination:
    """scored → selected / not selected (changeable until published). Selected ones stay
    within the category's quota: the category row is locked, so two reviewers cannot both
    take the last place."""
    today = today or timezone.localdate()
    fresh = _lock_for_review(nomination, actor, expected_version, today)
    if fresh.status == Nomination.Status.NOMINATED:
        _refuse(gettext("Score the nomination before deciding."), "not_scored")
    if selected and fresh.status != Nomination.Status.SELECTED:
        category = CampaignCategory.objects.select_for_update().get(pk=fresh.category_id)
        taken = Nomination.objects.alive().selected().filter(category=category).count()
        if taken >= category.quota:
            _refuse(
                gettext("The quota of “%(category)s” (%(quota)d) is reached.")
                % {"category": category.name, "quota": category.quota},
                "quota",
            )
    fresh.status = Nomination.Status.SELECTED if selected else Nomination.Status.NOT_SELECTED
    return _save_review(fresh, actor)


def _save_review(fresh: Nomination, actor: Cadre) -> Nomination:
    fresh.reviewed_by = actor
    fresh.reviewed_at = timezone.now()
    fresh.version += 1
    fresh.full_clean(validate_constraints=False)
    fresh.save()
    return fresh


@transaction.atomic
def campaign_publish(*, campaign: Campaign, actor: Cadre, today: datetime.date | None = None) -> Campaign:
    """The organising unit's leaders publish once nominations are closed and all decided."""
    today = today or timezone.localdate()
    fresh = Campaign.objects.select_for_update().select_related("unit").get(pk=campaign.pk)
    if not fresh.can_review(actor):
        _refuse(gettext("Only the leaders of the organising unit publish the results."), "not_reviewer")
    if fresh.is_published:
        _refuse(gettext("The results are published already."), "published")
    if today <= fresh.nomination_closes:
        _refuse(gettext("The results are published after nominations close."), "not_closed")
    pending = (
        Nomination.objects.alive().filter(category__campaign=fresh).exclude(status__in=Nomination.DECIDED)
    )
    if pending.exists():
        _refuse(gettext("Decide every nomination before publishing."), "undecided")
    fresh.published_at = timezone.now()
    fresh.published_by = actor
    fresh.save(update_fields=["published_at", "published_by"])
    return fresh
