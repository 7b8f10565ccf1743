"""Daily reminders by e-mail (run from cron): 限时办结 deadlines and, from the 25th, the month's days."""

import datetime
from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from outreach.models import Concern
from outreach.reminders import due_soon_limit, kinds_done_by, missing_kinds, month_check_applies
from unions.models import Cadre


class Command(BaseCommand):
    help = (
        "E-mail each owner the problems due within two days or overdue and, from the 25th, each cadre "
        "the kinds of day not done this month."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Run as of this day (YYYY-MM-DD) instead of today.")
        parser.add_argument("--dry-run", action="store_true", help="Say what would be sent; send nothing.")

    def handle(self, *args, date: str | None = None, dry_run: bool = False, **options):
        with translation.override(settings.LANGUAGE_CODE):
            today = self._parse_date(date)
            due = self._due_problems(today)
            missing = self._missing_days(today)
            people = (
                Cadre.objects.filter(pk__in=set(due) | set(missing)).select_related("user").order_by("name")
            )
            sent = skipped = 0
            for cadre in people:
                problems, kinds = due.get(cadre.pk, []), missing.get(cadre.pk, [])
                summary = self._summary(today, problems, kinds)
                if not cadre.user.email:
                    skipped += 1
                    self.stdout.write(
                        _("Skipped %(name)s: no e-mail address (%(summary)s).")
                        % {"name": cadre.name, "summary": summary}
                    )
                    continue
                if not dry_run:
                    send_mail(
                        _("「三个一天」 reminder for %(date)s") % {"date": f"{today:%Y-%m-%d}"},
                        self._body(cadre, today, problems, kinds),
                        settings.DEFAULT_FROM_EMAIL,
                        [cadre.user.email],
                    )
                sent += 1
                self.stdout.write(
                    _("Sent to %(name)s <%(email)s>: %(summary)s.")
                    % {"name": cadre.name, "email": cadre.user.email, "summary": summary}
                )
            verb = _("would be sent") if dry_run else _("sent")
            self.stdout.write(
                self.style.SUCCESS(
                    _(
                        "%(date)s: %(sent)d reminders %(verb)s, %(skipped)d skipped for want of an e-mail address."
                    )
                    % {"date": f"{today:%Y-%m-%d}", "sent": sent, "verb": verb, "skipped": skipped}
                )
            )

    def _parse_date(self, value: str | None) -> datetime.date:
        if not value:
            return timezone.localdate()
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            raise CommandError(_("--date must be a day as YYYY-MM-DD, e.g. 2026-11-25.")) from None

    def _due_problems(self, today: datetime.date) -> dict[int, list[Concern]]:
        problems = (
            Concern.objects.alive()
            .due_by(due_soon_limit(today))
            .filter(owner__is_active=True)
            .select_related("enterprise")
            .order_by("due_date", "id")
        )
        by_owner: dict[int, list[Concern]] = defaultdict(list)
        for concern in problems:
            by_owner[concern.owner_id].append(concern)
        return by_owner

    def _missing_days(self, today: datetime.date) -> dict[int, list]:
        """From the 25th: every active cadre and leader (not the directory admins) still owing a day."""
        if not month_check_applies(today):
            return {}
        done = kinds_done_by(today)
        cadres = Cadre.objects.active().exclude(role=Cadre.Role.ADMIN).values_list("pk", flat=True)
        missing = {pk: missing_kinds(done.get(pk, set())) for pk in cadres}
        return {pk: kinds for pk, kinds in missing.items() if kinds}

    def _summary(self, today: datetime.date, problems: list[Concern], kinds: list) -> str:
        parts = []
        if problems:
            overdue = sum(1 for c in problems if c.overdue_on(today))
            parts.append(
                _("%(count)d problems due within two days, %(overdue)d of them overdue")
                % {"count": len(problems), "overdue": overdue}
            )
        if kinds:
            parts.append(_("%(count)d kinds of day not done this month") % {"count": len(kinds)})
        return _("; ").join(parts)

    def _body(self, cadre: Cadre, today: datetime.date, problems: list[Concern], kinds: list) -> str:
        lines = [_("Dear %(name)s,") % {"name": cadre.name}, ""]
        if problems:
            lines.append(_("These problems you own are due within two days or overdue (限时办结):"))
            for concern in problems:
                flag = _("[overdue] ") if concern.overdue_on(today) else ""
                where = f" · {concern.enterprise.name}" if concern.enterprise else ""
                lines.append(
                    f"- {flag}{_('due')} {concern.due_date:%Y-%m-%d} · {concern.get_category_display()}{where} · "
                    f"{concern.description[:60]}"
                )
            lines.append("")
        if kinds:
            lines.append(_("The month ends soon and these days are not done yet:"))
            lines.extend(f"- {kind.label}" for kind in kinds)
            lines.append("")
        lines.append(_("Please log in to the 「三个一天」 system to follow up."))
        return "\n".join(lines)
