import pytest
from django.core.management import CommandError, call_command

from outreach import figures
from outreach.models import CadreMonth, Concern, Visit
from unions.models import Cadre, DistrictUnion, EnterpriseUnion

pytestmark = pytest.mark.django_db(transaction=True)

SMALL = {"districts": 2, "towns": 6, "enterprises": 60, "cadres": 40, "force": True}


def test_seed_bench_fills_a_small_province():
    call_command("seed_bench", visits=500, **SMALL)
    assert DistrictUnion.objects.districts().count() == 2
    assert DistrictUnion.objects.towns().count() == 6
    assert EnterpriseUnion.objects.count() == 60
    assert Cadre.objects.count() == 40
    assert Visit.objects.count() == 500 and Concern.objects.count() == 50
    # The denormalised town matches the host, as Visit.save() would have set it.
    for visit in Visit.objects.select_related("host_enterprise")[:50]:
        assert visit.town_id == visit.derive_town_id()
    assert Cadre.objects.get(user__username="bench_leader_1").is_leader
    # The monthly figures are filled in bulk, as the writes would have kept them.
    assert CadreMonth.objects.exists()
    assert {name: figures.stored(name) for name in figures.KEY_FIELDS} == figures.compute()
    # New rows get fresh ids after the explicit ones.
    assert DistrictUnion.objects.create(name="新区", level="district").pk > 8


def test_seed_bench_refuses_to_mix_with_existing_data():
    call_command("seed_bench", visits=10, **SMALL)
    with pytest.raises(CommandError):
        call_command("seed_bench", visits=10, **SMALL)
    call_command("seed_bench", visits=20, reset=True, **SMALL)
    assert Visit.objects.count() == 20


def test_seed_bench_refuses_without_debug_or_force(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("seed_bench", visits=10, districts=2, towns=6, enterprises=60, cadres=40)
