"""The units already recorded (districts and the towns below them) get their place in the tree:
a path of 4 base-36 characters per level (treebeard's MP_Node defaults), siblings in the order
of their code, then name, then id. Ids do not change, so every row and history entry that points
at a unit still does."""

from django.db import migrations

STEPLEN = 4
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def step(number: int) -> str:
    digits = ""
    while number:
        number, rest = divmod(number, len(ALPHABET))
        digits = ALPHABET[rest] + digits
    return digits.rjust(STEPLEN, "0")


def fill(apps, schema_editor):
    DistrictUnion = apps.get_model("unions", "DistrictUnion")
    units = list(DistrictUnion.objects.order_by("code", "name", "pk"))
    children: dict[int | None, list] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit)
    pending = [(None, "", 0)]
    while pending:
        parent_id, parent_path, depth = pending.pop()
        below = children.get(parent_id, [])
        for number, unit in enumerate(below, start=1):
            unit.path = parent_path + step(number)
            unit.depth = depth + 1
            unit.numchild = len(children.get(unit.pk, []))
            pending.append((unit.pk, unit.path, unit.depth))
    DistrictUnion.objects.bulk_update(units, ["path", "depth", "numchild"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("unions", "0007_districtunion_tree_fields"),
    ]

    operations = [
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
