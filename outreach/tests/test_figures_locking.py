"""Two visits saved at once in one town: the recount's lock must not wait for the other save.

Each save inserts a visit (its foreign keys take a KEY SHARE lock on the town's and the
cadre's rows) and then recounts the town's figures under a row lock on the same rows. With
FOR UPDATE the recount waited for the other save's KEY SHARE and the two deadlocked (HTTP 503
for one of 50 users saving visits at once); FOR NO KEY UPDATE does not wait for it.
"""

import psycopg2
import pytest
from django.db import connection, transaction

from outreach import figures
from outreach.tests.factories import VisitFactory
from unions.models import DistrictUnion

pytestmark = pytest.mark.django_db(transaction=True)


def _other_connection():
    settings = connection.settings_dict
    return psycopg2.connect(
        dbname=settings["NAME"],
        user=settings["USER"],
        password=settings["PASSWORD"],
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
    )


def test_the_recount_lock_does_not_wait_for_another_save_in_the_same_town(cadre, town):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's (SQLite writes one transaction at a time)")
    visit = VisitFactory(cadre=cadre, town=town)
    other = _other_connection()
    try:
        with other.cursor() as cursor:  # another save in progress: its insert's KEY SHARE lock
            cursor.execute("SELECT id FROM unions_districtunion WHERE id = %s FOR KEY SHARE", [town.pk])
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '2s'")
            figures._lock(DistrictUnion, {town.pk})  # no wait: would raise LockNotAvailable
            figures.refresh(cadre_months={(cadre.pk, visit.date.replace(day=1))}, towns={town.pk})
    finally:
        other.rollback()
        other.close()


def test_two_recounts_of_one_town_still_wait_for_each_other(town):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's (SQLite writes one transaction at a time)")
    other = _other_connection()
    try:
        with other.cursor() as cursor:  # another writer recounting the town
            cursor.execute("SELECT id FROM unions_districtunion WHERE id = %s FOR NO KEY UPDATE", [town.pk])
        with pytest.raises(Exception, match="lock"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '200ms'")
            figures._lock(DistrictUnion, {town.pk})
    finally:
        other.rollback()
        other.close()
