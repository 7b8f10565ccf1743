# The materialised path of django-treebeard's MP_Node, nullable until 0008 fills it.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("unions", "0006_cadre_invited_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="districtunion",
            name="path",
            field=models.CharField(editable=False, max_length=255, null=True),
        ),
        migrations.AddField(
            model_name="districtunion",
            name="depth",
            field=models.PositiveIntegerField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="districtunion",
            name="numchild",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
    ]
