from django.db import migrations
from django.utils import timezone

# Today's settings (the rows without a unit) stay the defaults of every unit; each gets a first
# history record, so that the first change shows its value before → after.
REASON = "按单位设置以前的默认设置"  # stored text, shown as it is in the history


def add_baseline(apps, schema_editor):
    now = timezone.now()
    for name, fields in (
        ("EvaluationRule", ("completion_weight", "on_time_weight", "satisfaction_weight")),
        ("CategoryTimeLimit", ("category", "working_days")),
    ):
        model = apps.get_model("outreach", name)
        history = apps.get_model("outreach", f"Historical{name}")
        history.objects.bulk_create(
            history(
                id=row.pk,
                unit_id=row.unit_id,
                history_date=now,
                history_type="+",
                history_change_reason=REASON,
                **{f: getattr(row, f) for f in fields},
            )
            for row in model.objects.all()
        )


class Migration(migrations.Migration):
    dependencies = [("outreach", "0035_settings_history")]

    operations = [migrations.RunPython(add_baseline, migrations.RunPython.noop)]
