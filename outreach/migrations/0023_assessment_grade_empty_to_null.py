from django.db import migrations


def empty_to_null(apps, schema_editor):
    """No grade yet was an empty string; as a reference to a grade it is NULL (history too)."""
    for name in ("Assessment", "HistoricalAssessment"):
        apps.get_model("outreach", name).objects.filter(grade="").update(grade=None)


def null_to_empty(apps, schema_editor):
    for name in ("Assessment", "HistoricalAssessment"):
        apps.get_model("outreach", name).objects.filter(grade__isnull=True).update(grade="")


class Migration(migrations.Migration):
    dependencies = [("outreach", "0022_assessment_grade_nullable")]

    operations = [migrations.RunPython(empty_to_null, null_to_empty)]
