"""The demo has themed 民情民意 in the towns, merged repeats, and one published brief."""

import pytest
from django.core.management import call_command

from outreach.models import Brief, Opinion

pytestmark = pytest.mark.django_db


def test_the_demo_has_themed_opinions_and_a_published_brief():
    call_command("seed_demo", "--force")
    counts = (Opinion.objects.count(), Brief.objects.count())
    call_command("seed_demo", "--force")  # idempotent
    assert (Opinion.objects.count(), Brief.objects.count()) == counts
    items = Opinion.objects.alive()
    assert items.count() >= 10
    assert items.values("theme").distinct().count() >= 4
    assert items.values("town").distinct().count() >= 3
    assert items.filter(duplicate_of__isnull=False).exists()
    brief = Brief.objects.get()
    assert brief.status == "published" and brief.unit.name == "高新区总工会"
    assert brief.items.filter(status="answered", forwarded_to="区人社局").exists()
    assert all(item.town.path.startswith(brief.unit.path) for item in brief.items.select_related("town"))
