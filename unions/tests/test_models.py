import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from unions.models import Cadre, DistrictUnion, EnterpriseUnion
from unions.tests.factories import (
    CadreFactory,
    DistrictFactory,
    EnterpriseFactory,
    LeaderFactory,
    TownFactory,
    valid_credit_code,
)

pytestmark = pytest.mark.django_db


def test_subtree_is_the_unit_and_its_towns(district, town, other_town):
    other_district = DistrictFactory()
    TownFactory(parent=other_district)
    assert set(DistrictUnion.objects.subtree(district)) == {district, town, other_town}
    assert set(DistrictUnion.objects.subtree(town)) == {town}


def test_leader_scope_follows_the_unit(district, town, other_town):
    town_leader = LeaderFactory(unit=town)
    district_leader = LeaderFactory(unit=district)
    assert set(town_leader.scope_units()) == {town}
    assert set(district_leader.scope_units()) == {district, town, other_town}


def test_enterprises_and_cadres_visible_to_scope(district, town, other_town):
    mine = EnterpriseFactory(district_union=town)
    theirs = EnterpriseFactory(district_union=other_town)
    town_leader = LeaderFactory(unit=town)
    district_leader = LeaderFactory(unit=district)
    other_cadre = CadreFactory(unit=other_town)
    assert list(EnterpriseUnion.objects.visible_to(town_leader)) == [mine]
    assert set(EnterpriseUnion.objects.visible_to(district_leader)) == {mine, theirs}
    assert other_cadre not in Cadre.objects.visible_to(town_leader)
    assert other_cadre in Cadre.objects.visible_to(district_leader)


def test_district_units_are_the_whole_district_for_a_town_cadre(district, town, other_town):
    cadre = CadreFactory(unit=town)
    assert set(cadre.district_units()) == {district, town, other_town}


def test_members_cannot_exceed_employees_in_the_database(town):
    with pytest.raises(IntegrityError), transaction.atomic():
        EnterpriseFactory(district_union=town, employees=10, members=11)


def test_members_greater_than_employees_is_a_clear_validation_error(town):
    enterprise = EnterpriseFactory.build(district_union=town, employees=10, members=11)
    with pytest.raises(ValidationError) as info:
        enterprise.full_clean()
    assert "members" in info.value.message_dict


def test_credit_code_is_unique(town):
    EnterpriseFactory(district_union=town, credit_code=valid_credit_code(1))
    duplicate = EnterpriseFactory.build(district_union=town, credit_code=valid_credit_code(1))
    with pytest.raises(ValidationError) as info:
        duplicate.full_clean()
    assert "credit_code" in info.value.message_dict


def test_town_must_have_a_district_parent_in_the_database(district):
    with pytest.raises(IntegrityError), transaction.atomic():
        DistrictUnion.objects.create(name="孤镇", code="320412999", level="town", parent=None)


def test_province_cannot_have_a_parent_in_the_database(district):
    with pytest.raises(IntegrityError), transaction.atomic():
        DistrictUnion.objects.create(name="江苏省总工会", code="320000", level="province", parent=district)


def test_town_whose_parent_is_a_town_is_refused(town):
    nested = DistrictUnion(name="村工会", code="320412998", level="town", parent=town)
    with pytest.raises(ValidationError) as info:
        nested.full_clean()
    assert "parent" in info.value.message_dict


def test_turning_a_district_with_towns_into_a_town_is_refused(district, town):
    other = DistrictFactory()
    district.level = DistrictUnion.Level.TOWN
    district.parent = other
    with pytest.raises(ValidationError) as info:
        district.full_clean()
    assert "level" in info.value.message_dict


def test_unit_cannot_be_its_own_parent(town):
    town.parent = town
    with pytest.raises(ValidationError):
        town.full_clean()


def test_division_codes_are_unique_but_may_be_blank(district):
    TownFactory(parent=district, code="")
    TownFactory(parent=district, code="")
    with pytest.raises(IntegrityError), transaction.atomic():
        TownFactory(parent=district, code="320412")


def test_enterprise_history_is_kept(town):
    enterprise = EnterpriseFactory(district_union=town, employees=100, members=50)
    enterprise.members = 60
    enterprise.save()
    assert [h.members for h in enterprise.history.all()] == [60, 50]
