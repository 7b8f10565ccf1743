"""Existing visits: the return reason was the review comment of the visit's last return
(kept in its history rows, whose status is "returned"); a review since then replaced the
comment, not the history. History rows get the reason of the last return at or before them."""

from django.db import migrations
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce


def fill(apps, schema_editor):
    Visit = apps.get_model("outreach", "Visit")
    HistoricalVisit = apps.get_model("outreach", "HistoricalVisit")
    returns = HistoricalVisit.objects.filter(id=OuterRef("id"), status="returned").order_by(
        "-history_date", "-history_id"
    )
    last_return = returns.filter(history_date__lte=OuterRef("history_date")).values("review_comment")[:1]
    HistoricalVisit.objects.update(return_reason=Coalesce(Subquery(last_return), Value("")))
    ever_returned = HistoricalVisit.objects.filter(status="returned").values("id")
    Visit.objects.filter(pk__in=ever_returned).update(
        return_reason=Coalesce(
            Subquery(
                HistoricalVisit.objects.filter(id=OuterRef("pk"))
                .order_by("-history_date", "-history_id")
                .values("return_reason")[:1]
            ),
            Value(""),
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("outreach", "0017_visit_return_reason"),
    ]

    operations = [
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
