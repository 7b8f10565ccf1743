from django.db import migrations


def fill(apps, schema_editor):
    # The visits and problems already recorded, counted once (outreach.figures).
    from outreach import figures

    figures.rebuild(apps)


class Migration(migrations.Migration):
    dependencies = [("outreach", "0030_monthly_figures")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
