import pytest
from django.core.management import CommandError, call_command

from outreach.models import Campaign, ModelCase, Nomination
from unions.models import Cadre, DistrictUnion, EnterpriseUnion
from unions.validators import validate_credit_code

pytestmark = pytest.mark.django_db


def _counts():
    return (DistrictUnion.objects.count(), EnterpriseUnion.objects.count(), Cadre.objects.count())


def _campaign_counts():
    return (Nomination.objects.count(), ModelCase.objects.count())


def test_seed_demo_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("seed_demo")


def test_seed_demo_is_idempotent(settings, capsys):
    settings.DEBUG = True
    call_command("seed_demo")
    first = _counts()
    campaigns = _campaign_counts()
    call_command("seed_demo")
    assert _counts() == first
    # 「三个100」 with nominations from 高新区 in each category, and two model cases.
    assert _campaign_counts() == campaigns
    campaign = Campaign.objects.get(name="三个100")
    kinds = set(
        Nomination.objects.filter(category__campaign=campaign).values_list(
            "category__nominee_kind", flat=True
        )
    )
    assert kinds == {"enterprise", "cadre", "visit"}
    assert ModelCase.objects.count() == 2
    districts, enterprises, cadres = first
    assert 15 <= districts <= 20
    assert 290 <= enterprises <= 390
    assert 60 <= cadres <= 85
    out = capsys.readouterr().out
    for username in ["city_leader", "admin", "district_leader", "town_leader", "cadre"]:
        assert username in out


def test_seed_demo_directory_is_realistic():
    call_command("seed_demo", "--force")
    city = DistrictUnion.objects.get(level="city")
    assert city.name == "常州市总工会"
    assert set(DistrictUnion.objects.children_of(city).values_list("name", flat=True)) == {
        "武进区总工会",
        "新北区总工会",
    }
    assert Cadre.objects.get(user__username="city_leader").unit == city
    assert DistrictUnion.objects.find_problems() == ([], [], [], [], [])
    assert DistrictUnion.objects.filter(name="高新区总工会", level="zone").exists()
    for code in EnterpriseUnion.objects.values_list("credit_code", flat=True):
        validate_credit_code(code)
    has_union = EnterpriseUnion.objects.filter(has_union=True).count()
    assert 0.5 * EnterpriseUnion.objects.count() < has_union < EnterpriseUnion.objects.count()
    assert EnterpriseUnion.objects.filter(name="五洋纺织机械有限公司").exists()
    roles = set(Cadre.objects.values_list("role", flat=True))
    assert roles == {"cadre", "leader", "admin"}
    # Everyone below the city has towns (分片包镇); the city's leader reads the roll-up.
    assert all(c.towns.exists() for c in Cadre.objects.exclude(unit__level="city"))
