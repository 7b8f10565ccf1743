"""Existing problems: received on their visit's date, else on the day they were recorded
(Asia/Shanghai); their history rows the same way, so that no version is left without it."""

from zoneinfo import ZoneInfo

from django.db import migrations
from django.db.models import OuterRef, Subquery
from django.db.models.functions import TruncDate

SHANGHAI = ZoneInfo("Asia/Shanghai")


def fill(apps, schema_editor):
    Visit = apps.get_model("outreach", "Visit")
    visit_date = Subquery(Visit.objects.filter(pk=OuterRef("visit_id")).values("date")[:1])
    for name in ("Concern", "HistoricalConcern"):
        model = apps.get_model("outreach", name)
        model.objects.filter(received_on__isnull=True, visit_id__isnull=False).update(received_on=visit_date)
        # A visit purged since: the day the problem was recorded, as for one without a visit.
        model.objects.filter(received_on__isnull=True).update(
            received_on=TruncDate("created_at", tzinfo=SHANGHAI)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("outreach", "0011_concern_received_on"),
    ]

    operations = [
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
