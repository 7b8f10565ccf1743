from django.db import migrations

# The themes workers raise most at the 「一天」 visits; the admin may rename, add or retire them.
THEMES = [
    "工资待遇",
    "工作时间与休息休假",
    "安全生产与劳动保护",
    "住房",
    "子女入学",
    "技能培训",
    "社会保险",
    "劳动合同与用工",
    "职工生活与文体活动",
    "工会组织建设",
    "其他",
]


def create_themes(apps, schema_editor):
    OpinionTheme = apps.get_model("outreach", "OpinionTheme")
    for position, name in enumerate(THEMES, start=1):
        OpinionTheme.objects.get_or_create(name=name, defaults={"position": position * 10})


class Migration(migrations.Migration):
    dependencies = [("outreach", "0027_opinions")]

    operations = [migrations.RunPython(create_themes, migrations.RunPython.noop)]
