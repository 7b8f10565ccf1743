from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("outreach", "0021_default_assessment_grades")]

    operations = [
        migrations.RemoveConstraint(model_name="assessment", name="outreach_assessment_grade_valid"),
        migrations.RemoveConstraint(model_name="assessment", name="outreach_assessment_signed_has_grade"),
        migrations.AlterField(
            model_name="assessment",
            name="grade",
            field=models.CharField(blank=True, max_length=20, null=True, verbose_name="grade"),
        ),
        migrations.AlterField(
            model_name="historicalassessment",
            name="grade",
            field=models.CharField(blank=True, max_length=20, null=True, verbose_name="grade"),
        ),
    ]
