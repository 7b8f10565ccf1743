import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("outreach", "0023_assessment_grade_empty_to_null")]

    operations = [
        migrations.AlterField(
            model_name="assessment",
            name="grade",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="assessments",
                to="outreach.assessmentgrade",
                to_field="code",
                verbose_name="grade",
            ),
        ),
        migrations.AlterField(
            model_name="historicalassessment",
            name="grade",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="outreach.assessmentgrade",
                to_field="code",
                verbose_name="grade",
            ),
        ),
        migrations.AddConstraint(
            model_name="assessment",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("signed_at__isnull", True),
                    models.Q(("grade__isnull", False), ("signed_by__isnull", False)),
                    _connector="OR",
                ),
                name="outreach_assessment_signed_has_grade",
            ),
        ),
    ]
