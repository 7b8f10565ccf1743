"""0008 gives the units already recorded their place in the tree (ids unchanged, nothing lost,
history kept) and 0013 pads the 9-digit town codes to the 12-digit statistical code."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from unions.models import DistrictUnion, EnterpriseUnion
from unions.tests.factories import CadreFactory, DistrictFactory, EnterpriseFactory, TownFactory

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("unions", "0007_districtunion_tree_fields")]


def _migrate(targets=None):
    executor = MigrationExecutor(connection)
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def test_two_level_units_get_paths_and_keep_their_rows_and_history(district, town, other_town):
    other = DistrictFactory()
    far_town = TownFactory(parent=other, code="")
    enterprise = EnterpriseFactory(district_union=town)
    enterprise.employees += 1
    enterprise.save()
    CadreFactory(unit=other_town)
    before = {
        "units": set(DistrictUnion.objects.values_list("pk", "name", "code", "level", "parent_id")),
        "history": EnterpriseUnion.history.count(),
    }

    old_apps = _migrate(BEFORE)
    old = old_apps.get_model("unions", "DistrictUnion")
    old.objects.update(path=None, depth=None, numchild=0)
    old.objects.filter(pk=other_town.pk).update(code="320412123")
    _migrate()

    units = {u.pk: u for u in DistrictUnion.objects.all()}
    assert {(u.pk, u.name, u.level, u.parent_id) for u in units.values()} == {
        (pk, name, level, parent) for pk, name, _code, level, parent in before["units"]
    }
    assert units[other_town.pk].code == "320412123000"
    assert EnterpriseUnion.history.count() == before["history"]
    assert DistrictUnion.objects.find_problems() == ([], [], [], [], [])
    assert set(DistrictUnion.objects.subtree(units[district.pk])) == {
        units[district.pk],
        units[town.pk],
        units[other_town.pk],
    }
    assert set(DistrictUnion.objects.subtree(units[other.pk])) == {units[other.pk], units[far_town.pk]}
    assert units[district.pk].numchild == 2 and units[town.pk].depth == 2
