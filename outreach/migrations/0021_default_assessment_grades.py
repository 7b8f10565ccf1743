from django.db import migrations

# The four grades of the national practice; the admin may rename, add or retire them.
GRADES = [
    ("excellent", "优秀", 1, 90),
    ("good", "合格", 2, 75),
    ("fair", "基本合格", 3, 60),
    ("poor", "不合格", 4, 0),
]


def create_grades(apps, schema_editor):
    AssessmentGrade = apps.get_model("outreach", "AssessmentGrade")
    for code, name, order, min_score in GRADES:
        AssessmentGrade.objects.get_or_create(
            code=code, defaults={"name": name, "order": order, "min_score": min_score}
        )


class Migration(migrations.Migration):
    dependencies = [("outreach", "0020_assessmentgrade")]

    operations = [migrations.RunPython(create_grades, migrations.RunPython.noop)]
