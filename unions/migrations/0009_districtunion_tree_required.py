from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("unions", "0008_fill_districtunion_tree"),
    ]

    operations = [
        migrations.AlterField(
            model_name="districtunion",
            name="path",
            field=models.CharField(editable=False, max_length=255, unique=True),
        ),
        migrations.AlterField(
            model_name="districtunion",
            name="depth",
            field=models.PositiveIntegerField(editable=False),
        ),
    ]
