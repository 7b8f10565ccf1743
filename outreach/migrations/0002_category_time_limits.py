from django.db import migrations

# 限时办结 defaults in working days; the headquarters office adjusts them in the admin.
DEFAULT_LIMITS = {
    "answered": 0,
    "concern": 5,
    "dispute": 5,
    "hardship": 10,
    "legal_aid": 10,
    "wages": 15,
    "suggestion": 10,
    "other": 5,
}


def add_limits(apps, schema_editor):
    CategoryTimeLimit = apps.get_model("outreach", "CategoryTimeLimit")
    for category, days in DEFAULT_LIMITS.items():
        CategoryTimeLimit.objects.get_or_create(category=category, defaults={"working_days": days})


class Migration(migrations.Migration):
    dependencies = [("outreach", "0001_initial")]

    operations = [migrations.RunPython(add_limits, migrations.RunPython.noop)]
