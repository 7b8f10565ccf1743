"""Past verifications name their visit only in the change reason ("由…在走访 #12 时核实" or
"Verified at visit #12 by …"): copy that number into verified_at_visit. Nothing is deleted."""

import re

from django.db import migrations

VISIT_NUMBER = re.compile(r"#(\d+)")


def forwards(apps, schema_editor):
    History = apps.get_model("unions", "HistoricalEnterpriseUnion")
    rows = History.objects.filter(history_change_reason__contains="#", verified_at_visit__isnull=True)
    for row in rows.only("history_id", "history_change_reason").iterator():
        found = VISIT_NUMBER.search(row.history_change_reason or "")
        if found:
            History.objects.filter(pk=row.pk).update(verified_at_visit=int(found.group(1)))


class Migration(migrations.Migration):
    dependencies = [
        ("unions", "0003_historical_enterprise_verified_at_visit"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
