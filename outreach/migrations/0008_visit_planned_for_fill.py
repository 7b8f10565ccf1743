# Plans already in the table get their planned date (their date). Plans done before this
# migration cannot be told apart from other days any more: they count as done, not planned.
# The history rows are left as they were (a past state, not a plan).

from django.db import migrations
from django.db.models import F


def fill(apps, schema_editor):
    Visit = apps.get_model("outreach", "Visit")
    Visit.objects.filter(status="planned", planned_for__isnull=True).update(planned_for=F("date"))


class Migration(migrations.Migration):
    dependencies = [
        ("outreach", "0007_visit_planned_for"),
    ]

    operations = [
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
