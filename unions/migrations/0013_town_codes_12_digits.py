"""Towns and zones recorded with the 9-digit township code get the 12-digit statistical code
(the same 9 digits and 000, GB/T 10114), which the unit's form now asks for."""

from django.db import migrations
from django.db.models import Value
from django.db.models.functions import Concat, Length


def pad(apps, schema_editor):
    DistrictUnion = apps.get_model("unions", "DistrictUnion")
    DistrictUnion.objects.annotate(n=Length("code")).filter(
        n=9, level__in=["town", "street", "zone"]
    ).update(code=Concat("code", Value("000")))


class Migration(migrations.Migration):
    dependencies = [
        ("unions", "0012_enterprises_and_towns_at_any_unit"),
    ]

    operations = [
        migrations.RunPython(pad, migrations.RunPython.noop),
    ]
