"""限时办结: recount the deadlines of pending problems with the working-day calendar, on request."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from outreach.services import concern_deadlines_recompute


class Command(BaseCommand):
    help = (
        "Recount the deadline of every pending problem from the day it was received, with China's "
        "working-day calendar, the admin's overrides and the current time limits. Existing deadlines "
        "change only when this is run; --dry-run lists the moves and writes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List the deadlines that would move.")

    def handle(self, *args, dry_run: bool = False, **options):
        with translation.override(settings.LANGUAGE_CODE):
            moves = concern_deadlines_recompute(dry_run=dry_run)
            for move in moves:
                self.stdout.write(
                    _("Problem %(id)s (%(owner)s): %(old)s → %(new)s")
                    % {
                        "id": move.concern.pk,
                        "owner": move.concern.owner.name,
                        "old": f"{move.old:%Y-%m-%d}",
                        "new": f"{move.new:%Y-%m-%d}",
                    }
                )
            if dry_run:
                summary = ngettext(
                    "%(count)d deadline would move (dry run, nothing changed).",
                    "%(count)d deadlines would move (dry run, nothing changed).",
                    len(moves),
                )
            else:
                summary = ngettext("%(count)d deadline moved.", "%(count)d deadlines moved.", len(moves))
            self.stdout.write(self.style.SUCCESS(summary % {"count": len(moves)}))
