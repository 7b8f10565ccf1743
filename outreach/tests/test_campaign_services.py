"""Campaign writes: nominating in the window and in scope with the evidence attached, the
review's states within the quota, publication."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from outreach.models import Campaign, CampaignCategory, Concern, Nomination, Visit
from outreach.services import (
    campaign_publish,
    nomination_create,
    nomination_decide,
    nomination_score,
)
from outreach.tests.factories import (
    CampaignCategoryFactory,
    CampaignFactory,
    ConcernFactory,
    NominationFactory,
    VisitFactory,
)
from unions.tests.factories import DistrictFactory, EnterpriseFactory, TownFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture
def campaign(district):
    return CampaignFactory(unit=district)


@pytest.fixture
def enterprises(campaign):
    return CampaignCategoryFactory(campaign=campaign, name="百家模范职工之家", quota=2)


@pytest.fixture
def enterprise(town):
    return EnterpriseFactory(district_union=town, name="五洋纺织机械有限公司", employees=200, members=150)


def _nominate(category, actor, nominee, reason="职工之家建设规范。"):
    return nomination_create(category=category, actor=actor, nominee=nominee, reason=reason)


def test_a_town_leader_nominates_an_enterprise_of_the_town_with_its_figures(
    enterprises, enterprise, town_leader, cadre
):
    VisitFactory(cadre=cadre, host_enterprise=enterprise, date=TODAY() - datetime.timedelta(days=10))
    VisitFactory(cadre=cadre, host_enterprise=enterprise, date=TODAY() - datetime.timedelta(days=400))
    ConcernFactory(
        enterprise=enterprise,
        owner=cadre,
        received_on=TODAY(),
        status=Concern.Status.CLOSED,
        resolved_at=timezone.now(),
        closed_at=timezone.now(),
        satisfaction=Concern.Satisfaction.SATISFIED,
    )
    ConcernFactory(enterprise=enterprise, owner=cadre, received_on=TODAY())

    nomination = _nominate(enterprises, town_leader, enterprise)

    assert nomination.status == Nomination.Status.NOMINATED
    assert nomination.town == enterprise.district_union
    assert nomination.evidence["visits"] == 1  # the visit of 400 days ago is outside the year
    assert nomination.evidence["problems"] == 2
    assert nomination.evidence["problems_solved"] == 1
    assert nomination.evidence["satisfaction"] == "100%"
    assert nomination.evidence["employees"] == 200 and nomination.evidence["members"] == 150
    assert nomination.evidence["membership"] == "75%"


def test_the_evidence_is_a_snapshot_that_does_not_drift(enterprises, enterprise, town_leader, cadre):
    nomination = _nominate(enterprises, town_leader, enterprise)
    VisitFactory(cadre=cadre, host_enterprise=enterprise, date=TODAY())
    enterprise.employees = 999
    enterprise.save()
    nomination.refresh_from_db()
    assert nomination.evidence["visits"] == 0 and nomination.evidence["employees"] == 200


def test_a_cadre_and_a_visit_have_their_own_evidence(campaign, town_leader, cadre):
    cadres = CampaignCategoryFactory(campaign=campaign, name="百名优秀工会干部", nominee_kind="cadre")
    visits = CampaignCategoryFactory(campaign=campaign, name="百个走访案例", nominee_kind="visit")
    day = TODAY() - datetime.timedelta(days=3)
    for kind in Visit.Kind.values:
        visit = VisitFactory(cadre=cadre, kind=kind, date=day)
    ConcernFactory(
        visit=visit,
        enterprise=visit.host_enterprise,
        owner=cadre,
        status="resolved",
        resolved_at=timezone.now(),
    )

    by_cadre = _nominate(cadres, town_leader, cadre).evidence
    by_visit = _nominate(visits, town_leader, visit).evidence

    assert by_cadre["visits"] == 3 and by_cadre["months_complete"] == 1
    assert by_visit["problems"] == 1 and by_visit["problems_solved"] == 1
    assert by_visit["date"] == f"{day:%Y-%m-%d}"


def test_nominating_needs_a_leader(enterprises, enterprise, cadre):
    with pytest.raises(ValidationError, match="领导"):
        _nominate(enterprises, cadre, enterprise)


def test_nominating_only_while_nominations_are_open(district, enterprise, town_leader):
    for dates in (
        {"nomination_opens": TODAY() + datetime.timedelta(days=1)},
        {
            "nomination_opens": TODAY() - datetime.timedelta(days=9),
            "nomination_closes": TODAY() - datetime.timedelta(days=1),
        },
    ):
        category = CampaignCategoryFactory(campaign=CampaignFactory(unit=district, **dates))
        with pytest.raises(ValidationError, match="推荐期"):
            _nominate(category, town_leader, enterprise)
    assert not Nomination.objects.exists()


def test_a_town_leader_cannot_nominate_another_towns_enterprise(enterprises, other_town_leader, enterprise):
    with pytest.raises(ValidationError, match="本辖区"):
        _nominate(enterprises, other_town_leader, enterprise)


def test_a_leader_cannot_nominate_outside_the_campaigns_area(town, town_leader, enterprise):
    # A campaign of another district: the town leader's enterprise is not in it.
    category = CampaignCategoryFactory(campaign=CampaignFactory(unit=DistrictFactory()))
    with pytest.raises(ValidationError, match="本辖区"):
        _nominate(category, town_leader, enterprise)


def test_the_category_takes_one_kind_of_nominee(enterprises, town_leader, cadre):
    with pytest.raises(ValidationError):
        _nominate(enterprises, town_leader, cadre)


def test_one_nomination_per_nominee_per_category(enterprises, enterprise, town_leader, district_leader):
    _nominate(enterprises, town_leader, enterprise)
    with pytest.raises(ValidationError, match="已被推荐"):
        _nominate(enterprises, district_leader, enterprise)
    other = CampaignCategoryFactory(campaign=enterprises.campaign, name="先进职工之家")
    _nominate(other, district_leader, enterprise)  # another category takes it
    assert Nomination.objects.count() == 2


def test_a_reason_is_required(enterprises, enterprise, town_leader):
    with pytest.raises(ValidationError) as error:
        _nominate(enterprises, town_leader, enterprise, reason="  ")
    assert "reason" in error.value.message_dict


@pytest.fixture
def reviewing(district):
    return CampaignFactory(unit=district, reviewing=True)


@pytest.fixture
def nomination(reviewing, enterprise):
    category = CampaignCategoryFactory(campaign=reviewing, quota=1)
    return NominationFactory(category=category, enterprise=enterprise)


def test_the_district_scores_then_selects(nomination, district_leader):
    scored = nomination_score(
        nomination=nomination, actor=district_leader, score=Decimal("92.5"), note="材料翔实"
    )
    assert scored.status == Nomination.Status.SCORED and scored.score == Decimal("92.5")
    assert scored.reviewed_by == district_leader
    selected = nomination_decide(nomination=scored, actor=district_leader, selected=True)
    assert selected.status == Nomination.Status.SELECTED
    not_selected = nomination_decide(nomination=selected, actor=district_leader, selected=False)
    assert not_selected.status == Nomination.Status.NOT_SELECTED
    assert nomination.history.count() == 4


def test_a_scored_nomination_is_scored_again_until_decided(nomination, district_leader):
    nomination_score(nomination=nomination, actor=district_leader, score=Decimal("80"))
    again = nomination_score(nomination=nomination, actor=district_leader, score=Decimal("85"))
    assert again.score == Decimal("85")
    nomination_decide(nomination=again, actor=district_leader, selected=True)
    with pytest.raises(ValidationError, match="已经评定"):
        nomination_score(nomination=again, actor=district_leader, score=Decimal("10"))


def test_deciding_needs_a_score(nomination, district_leader):
    with pytest.raises(ValidationError, match="先评分"):
        nomination_decide(nomination=nomination, actor=district_leader, selected=True)


def test_a_score_is_between_0_and_100(nomination, district_leader):
    with pytest.raises(ValidationError):
        nomination_score(nomination=nomination, actor=district_leader, score=Decimal("101"))
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.NOMINATED


def test_a_town_leader_does_not_review_the_districts_campaign(nomination, town_leader):
    with pytest.raises(ValidationError, match="主办单位"):
        nomination_score(nomination=nomination, actor=town_leader, score=Decimal("90"))


def test_the_review_waits_for_nominations_to_close(enterprises, enterprise, district_leader):
    nomination = NominationFactory(category=enterprises, enterprise=enterprise)
    with pytest.raises(ValidationError, match="截止后"):
        nomination_score(nomination=nomination, actor=district_leader, score=Decimal("90"))


def test_no_review_after_the_review_closes(nomination, district_leader):
    campaign = nomination.category.campaign
    Campaign.objects.filter(pk=campaign.pk).update(
        nomination_closes=TODAY() - datetime.timedelta(days=2),
        review_closes=TODAY() - datetime.timedelta(days=1),
    )
    with pytest.raises(ValidationError):
        nomination_score(nomination=nomination, actor=district_leader, score=Decimal("90"))


def test_selected_ones_stay_within_the_quota(nomination, district_leader, town):
    second = NominationFactory(
        category=nomination.category, enterprise=EnterpriseFactory(district_union=town)
    )
    for n in (nomination, second):
        nomination_score(nomination=n, actor=district_leader, score=Decimal("90"))
    nomination_decide(nomination=nomination, actor=district_leader, selected=True)
    with pytest.raises(ValidationError, match="名额"):
        nomination_decide(nomination=second, actor=district_leader, selected=True)
    nomination_decide(nomination=second, actor=district_leader, selected=False)
    second.refresh_from_db()
    assert second.status == Nomination.Status.NOT_SELECTED


def test_publishing_needs_every_nomination_decided(nomination, district_leader):
    campaign = nomination.category.campaign
    with pytest.raises(ValidationError, match="每一项"):
        campaign_publish(campaign=campaign, actor=district_leader)
    nomination_score(nomination=nomination, actor=district_leader, score=Decimal("90"))
    nomination_decide(nomination=nomination, actor=district_leader, selected=True)
    published = campaign_publish(campaign=campaign, actor=district_leader)
    assert published.is_published and published.published_by == district_leader
    assert published.phase_on(TODAY()) == Campaign.Phase.PUBLISHED
    with pytest.raises(ValidationError, match="已公布"):
        nomination_decide(nomination=nomination, actor=district_leader, selected=False)


def test_publishing_waits_for_nominations_to_close(campaign, district_leader):
    with pytest.raises(ValidationError, match="截止后"):
        campaign_publish(campaign=campaign, actor=district_leader)


def test_only_the_organising_units_leaders_publish(reviewing, town_leader):
    with pytest.raises(ValidationError, match="主办单位"):
        campaign_publish(campaign=reviewing, actor=town_leader)
    reviewing.refresh_from_db()
    assert not reviewing.is_published


def test_a_campaigns_dates_are_in_order(district):
    campaign = CampaignFactory.build(
        unit=district, nomination_opens=TODAY(), nomination_closes=TODAY(), review_closes=TODAY()
    )
    with pytest.raises(ValidationError):
        campaign.full_clean()


def test_a_town_sees_its_districts_campaign_but_not_another_districts(district, town_leader, cadre):
    ours = CampaignFactory(unit=district)
    own_town = CampaignFactory(unit=town_leader.unit, name="镇级评选")
    CampaignFactory(unit=DistrictFactory(), name="外区评选")
    CampaignFactory(unit=TownFactory(parent=district), name="邻镇评选")
    assert set(Campaign.objects.visible_to(town_leader)) == {ours, own_town}
    assert set(Campaign.objects.visible_to(cadre)) == {ours, own_town}
    assert CampaignCategory.objects.count() == 0
