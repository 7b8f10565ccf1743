"""Check the monthly figures (outreach.models.figures) against a count from the raw rows.

    manage.py verify_figures            # lists each difference; exit status 1 if any
    manage.py verify_figures --repair   # and counts the differing tables again

Reads every visit and problem once; on a province's database a few minutes.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from outreach import figures

SHOWN = 20  # differences listed per table; the rest are counted


class Command(BaseCommand):
    help = _("Check the monthly figures against the raw records (--repair counts them again).")

    def add_arguments(self, parser):
        parser.add_argument("--repair", action="store_true", help=_("Count the differing figures again."))

    def handle(self, *args, **opts):
        expected = figures.compute()
        differing, rows = {}, 0
        for name, want in expected.items():
            have = figures.stored(name)
            rows += len(want)
            found = self._differences(name, want, have)
            if found:
                differing[name] = found
        if not differing:
            self.stdout.write(_("All monthly figures match the raw records (%(n)d rows).") % {"n": rows})
            return
        total = sum(differing.values())
        self.stdout.write(_("%(n)d figures differ from the raw records.") % {"n": total})
        if not opts["repair"]:
            raise CommandError(_("Run verify_figures --repair to count them again."))
        with transaction.atomic():
            for name in differing:
                figures.replace_all(name, expected[name])
        self.stdout.write(_("Repaired: the monthly figures were counted again from the raw records."))

    def _differences(self, name: str, want: dict, have: dict) -> int:
        label = figures.label(name)
        lines = []
        for key in sorted(want.keys() - have.keys(), key=str):
            lines.append(
                _("%(table)s %(key)s: missing (should be %(expected)s)") % _say(label, key, want[key])
            )
        for key in sorted(have.keys() - want.keys(), key=str):
            lines.append(
                _("%(table)s %(key)s: should not exist (stored %(stored)s)") % _say(label, key, have[key])
            )
        for key in sorted(want.keys() & have.keys(), key=str):
            if want[key] != have[key]:
                lines.append(
                    _("%(table)s %(key)s: should be %(expected)s, stored %(stored)s")
                    % (_say(label, key, want[key]) | {"stored": have[key]})
                )
        for line in lines[:SHOWN]:
            self.stdout.write(line)
        if len(lines) > SHOWN:
            self.stdout.write(_("… and %(n)d more.") % {"n": len(lines) - SHOWN})
        return len(lines)


def _say(label: str, key: tuple, values: dict) -> dict:
    return {"table": label, "key": " ".join(str(part) for part in key), "expected": values, "stored": values}
