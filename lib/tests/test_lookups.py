"""Long integer id lists go to PostgreSQL as one array (lib/lookups.py), with the same rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lib.lookups import SHORT
from unions.models import Cadre, DistrictUnion
from unions.tests.factories import CadreFactory, DistrictFactory, TownFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cadres():
    town = TownFactory(parent=DistrictFactory())
    return [CadreFactory(unit=town) for _ in range(3)]


def _sql(queryset) -> tuple[list, str]:
    with CaptureQueriesContext(connection) as captured:
        rows = sorted(queryset.values_list("pk", flat=True))
    return rows, captured[-1]["sql"]


def test_a_long_list_finds_the_same_rows_as_a_short_one(cadres):
    wanted = [cadres[0].pk, cadres[2].pk]
    noise = list(range(10**9, 10**9 + SHORT + 10))  # ids that match nothing
    long_rows, long_sql = _sql(Cadre.objects.filter(pk__in=[*wanted, *noise, None]))
    short_rows, short_sql = _sql(Cadre.objects.filter(pk__in=wanted))
    assert long_rows == short_rows == sorted(wanted)
    # a foreign key as well (Django's related lookup)
    fk_rows, fk_sql = _sql(Cadre.objects.filter(unit_id__in=[cadres[0].unit_id, *noise]))
    assert fk_rows == sorted(c.pk for c in cadres)
    if connection.vendor == "postgresql":
        assert "= ANY(" in long_sql and "= ANY(" in fk_sql
        assert " IN (" in short_sql
    else:
        assert " IN (" in long_sql and " IN (" in fk_sql


def test_excluding_a_long_list_and_other_values_keep_django_s_lookup(cadres):
    noise = list(range(10**9, 10**9 + SHORT + 10))
    assert Cadre.objects.exclude(pk__in=[cadres[1].pk, *noise]).count() == 2
    names = [c.name for c in cadres] + [f"无此人{n}" for n in range(SHORT + 5)]
    assert Cadre.objects.filter(name__in=names).count() == 3  # text: not an integer field
    units = DistrictUnion.objects.filter(pk=cadres[0].unit_id)
    assert Cadre.objects.filter(unit_id__in=units).count() == 3  # a subquery


def test_a_long_list_of_ints_is_taken_as_it_is_and_other_values_are_prepared(cadres, monkeypatch):
    from django.db.models import IntegerField

    calls = []
    prepare = IntegerField.get_prep_value
    monkeypatch.setattr(
        IntegerField, "get_prep_value", lambda self, value: calls.append(value) or prepare(self, value)
    )
    noise = list(range(10**9, 10**9 + SHORT + 10))
    assert Cadre.objects.filter(unit_id__in=[cadres[0].unit_id, *noise]).count() == 3
    assert Cadre.objects.filter(pk__in=[cadres[0].pk, *noise]).count() == 1
    assert calls == []  # a province's 30,000 ids, in every query of its report
    # Text from a form or a URL is still checked and converted, one value at a time.
    assert Cadre.objects.filter(pk__in=[str(cadres[0].pk), *map(str, noise)]).count() == 1
    assert len(calls) >= len(noise)
