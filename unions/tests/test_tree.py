"""Units of any depth (province → city → district → town): the materialised path, scope at
every level, moves, and the division codes checked against the parent's."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from unions.models import Cadre, DistrictUnion, EnterpriseUnion
from unions.tests.factories import (
    AdminCadreFactory,
    CadreFactory,
    CityFactory,
    DistrictFactory,
    EnterpriseFactory,
    LeaderFactory,
    TownFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(district, town, other_town):
    """常州市 above the shared district (武进区) and another district with a town; a second city."""
    city = CityFactory(name="常州市总工会", code="320400")
    district.parent = city
    district.save()
    xinbei = DistrictFactory(name="新北区总工会", code="320411", parent=city)
    xinbei_town = TownFactory(parent=xinbei, code="320411001000")
    elsewhere = CityFactory(name="无锡市总工会", code="320200")
    elsewhere_district = DistrictFactory(name="梁溪区总工会", code="320213", parent=elsewhere)
    for unit in (district, town, other_town):
        unit.refresh_from_db()
    return {
        "city": city,
        "wujin": district,
        "gaoxin": town,
        "hutang": other_town,
        "xinbei": xinbei,
        "xinbei_town": xinbei_town,
        "elsewhere": elsewhere,
        "elsewhere_district": elsewhere_district,
    }


def test_a_subtree_is_everything_below_a_unit_at_any_depth(tree):
    city, wujin = tree["city"], tree["wujin"]
    assert set(DistrictUnion.objects.subtree(city)) == {
        city,
        wujin,
        tree["gaoxin"],
        tree["hutang"],
        tree["xinbei"],
        tree["xinbei_town"],
    }
    assert set(DistrictUnion.objects.subtree(wujin)) == {wujin, tree["gaoxin"], tree["hutang"]}
    assert set(DistrictUnion.objects.subtree(tree["gaoxin"])) == {tree["gaoxin"]}


def test_the_subtree_is_one_prefix_query(tree, django_assert_num_queries):
    with django_assert_num_queries(1) as captured:
        list(DistrictUnion.objects.subtree(tree["city"]))
    assert "LIKE" in captured.captured_queries[0]["sql"].upper()
    assert " OR " not in captured.captured_queries[0]["sql"].upper()


def test_a_leader_at_any_level_sees_the_subtree_and_nothing_of_another_branch(tree):
    city_leader = LeaderFactory(unit=tree["city"])
    wujin_leader = LeaderFactory(unit=tree["wujin"])
    theirs = CadreFactory(unit=tree["xinbei_town"])
    far = CadreFactory(unit=tree["elsewhere_district"])
    mine = EnterpriseFactory(district_union=tree["gaoxin"])
    direct = EnterpriseFactory(district_union=tree["city"])  # 直属: attached to the city itself
    assert set(city_leader.scope_unit_ids) == {u.pk for u in DistrictUnion.objects.subtree(tree["city"])}
    assert theirs.pk in city_leader.scope_cadre_ids and far.pk not in city_leader.scope_cadre_ids
    assert theirs.pk not in wujin_leader.scope_cadre_ids
    assert set(EnterpriseUnion.objects.visible_to(city_leader)) == {mine, direct}
    assert set(EnterpriseUnion.objects.visible_to(wujin_leader)) == {mine}
    assert far not in Cadre.objects.visible_to(city_leader)


def test_moving_a_district_to_another_city_moves_its_towns(tree):
    wujin = tree["wujin"]
    wujin.parent = tree["elsewhere"]
    wujin.save()
    elsewhere = DistrictUnion.objects.get(pk=tree["elsewhere"].pk)
    assert set(DistrictUnion.objects.subtree(elsewhere)) >= {wujin, tree["gaoxin"], tree["hutang"]}
    assert tree["gaoxin"] not in DistrictUnion.objects.subtree(DistrictUnion.objects.get(pk=tree["city"].pk))
    gaoxin = DistrictUnion.objects.get(pk=tree["gaoxin"].pk)
    assert gaoxin.path.startswith(elsewhere.path) and gaoxin.depth == 3
    assert DistrictUnion.objects.find_problems() == ([], [], [], [], [])


def test_a_unit_cannot_move_below_itself(tree):
    city = tree["city"]
    city.parent = tree["gaoxin"]
    with pytest.raises(ValidationError) as info:
        city.full_clean()
    assert "parent" in info.value.message_dict


def test_a_city_cannot_belong_to_a_district(tree):
    city = CityFactory.build(code="320500", parent=tree["wujin"])
    with pytest.raises(ValidationError) as info:
        city.full_clean()
    assert "parent" in info.value.message_dict


def test_enterprises_attach_to_any_unit(tree):
    enterprise = EnterpriseFactory.build(district_union=tree["wujin"])
    enterprise.full_clean()


def test_a_city_cadre_hosts_visits_anywhere_in_the_city_and_a_town_cadre_in_the_district(tree):
    city_cadre = CadreFactory(unit=tree["city"])
    town_cadre = CadreFactory(unit=tree["gaoxin"])
    assert tree["xinbei_town"] in city_cadre.district_units()
    assert set(town_cadre.district_units()) == {tree["wujin"], tree["gaoxin"], tree["hutang"]}


@pytest.mark.parametrize(
    ("level", "code", "parent", "message"),
    [
        ("town", "320412001", "wujin", "12 位"),
        ("town", "320411001000", "wujin", "320412"),
        ("district", "320512", "city", "3204"),
        ("district", "32041", "city", "6"),
        ("city", "320000", None, "00"),
    ],
)
def test_division_codes_follow_the_level_and_the_parent(tree, level, code, parent, message):
    unit = DistrictUnion(name="新单位", level=level, code=code, parent=tree[parent] if parent else None)
    with pytest.raises(ValidationError) as info:
        unit.full_clean()
    assert message in " ".join(info.value.message_dict["code"])


def test_good_codes_pass(tree):
    DistrictUnion(name="新镇", level="street", code="320412555000", parent=tree["wujin"]).full_clean()
    DistrictUnion(name="新区", level="district", code="320499", parent=tree["city"]).full_clean()
    DistrictUnion(name="江苏省总工会", level="province", code="320000").full_clean()


def test_the_admin_explains_a_wrong_code_in_chinese(client, tree):
    admin = AdminCadreFactory(unit=tree["city"])
    client.force_login(admin.user)
    response = client.post(
        reverse("admin:unions_districtunion_add"),
        {"name": "新镇", "code": "320411001001", "level": "town", "parent": tree["wujin"].pk},
    )
    assert response.status_code == 200
    assert "代码应以 320412 开头" in response.content.decode()
    assert not DistrictUnion.objects.filter(name="新镇").exists()


def test_the_admin_adds_a_district_below_a_city(client, tree):
    admin = AdminCadreFactory(unit=tree["city"])
    client.force_login(admin.user)
    response = client.post(
        reverse("admin:unions_districtunion_add"),
        {"name": "钟楼区总工会", "code": "320404", "level": "district", "parent": tree["city"].pk},
    )
    assert response.status_code == 302
    added = DistrictUnion.objects.get(code="320404")
    assert added in DistrictUnion.objects.subtree(tree["city"])
