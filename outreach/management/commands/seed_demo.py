from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from outreach import figures
from outreach.demo.campaigns import seed_campaigns
from outreach.demo.checks import seed_directory_checks
from outreach.demo.concerns import seed_concerns
from outreach.demo.opinions import seed_opinions
from outreach.demo.referrals import seed_referrals
from outreach.demo.visits import seed_visits
from unions.demo import DEMO_PASSWORD, seed_directory
from unions.models import Cadre


class Command(BaseCommand):
    help = "Fill the database with a realistic demo district (idempotent: run twice, same rows)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Run even when DEBUG is off (never on a live server)."
        )

    def handle(self, *args, force: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                _(
                    "seed_demo refuses to run with DEBUG off: it writes demo accounts. Use --force if you are sure."
                )
            )
        logins = seed_directory()
        visits = seed_visits()
        self.stdout.write(_("%(count)d visits over the last twelve months.") % {"count": visits})
        seed_concerns()
        seed_directory_checks()
        seed_referrals()
        seed_campaigns()
        figures.rebuild()  # the demo rows were written in bulk, past the figures' receivers
        seed_opinions()
        self.stdout.write(self.style.SUCCESS(_("Demo data is ready.")))
        self.stdout.write(_("Demo logins (password for all: %(password)s):") % {"password": DEMO_PASSWORD})
        for login in logins:
            role = Cadre.Role(login.role).label
            self.stdout.write(f"  {login.username:<16} {role}\t{login.name} · {login.unit}")
