"""Notices and their e-mails (cron or deploy/outreach-notices.timer, every few minutes)."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from notices.run import DIGEST_HOUR, run_notices


class Command(BaseCommand):
    help = (
        "Create the notices of the day (problems due within two working days or overdue, from the "
        "25th the three days not done, leaders' weekly digest and last month's report) and e-mail "
        "every notice waiting, each exactly once. Safe to run every few minutes and twice at once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Run as of this day (YYYY-MM-DD) instead of today.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would be sent; change and send nothing."
        )

    def handle(self, *args, date: str | None = None, dry_run: bool = False, **options):
        if date:
            today, digests_due = self._parse_date(date), True
        else:
            now = timezone.localtime()
            today, digests_due = now.date(), now.hour >= DIGEST_HOUR
        result = run_notices(today=today, digests_due=digests_due, dry_run=dry_run, say=self.stdout.write)
        verb = _("would be sent") if dry_run else _("sent")
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "%(date)s: %(sent)d mails %(verb)s, %(failed)d failed (retried next run), %(off)d not mailed."
                )
                % {
                    "date": f"{today:%Y-%m-%d}",
                    "sent": result.sent,
                    "verb": verb,
                    "failed": result.failed,
                    "off": result.not_mailed,
                }
            )
        )

    def _parse_date(self, value: str) -> datetime.date:
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            raise CommandError(_("--date must be a day as YYYY-MM-DD, e.g. 2026-11-25.")) from None
