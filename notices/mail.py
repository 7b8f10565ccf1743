"""The e-mail of a notice: Chinese subject, plain text and HTML, links to SITE_URL; the monthly
report's workbook attached to its notice."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from lib.months import month_label
from outreach.models import Notice

Kind = Notice.Kind


def site_link(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def subject_for(notice: Notice) -> str:
    """The subject line, in the site's language (Chinese)."""
    about = _about(notice)
    subjects = {
        Kind.VISIT_RETURNED: _("Your visit was returned for changes: %(about)s"),
        Kind.VISIT_REVIEWED: _("Your visit was reviewed: %(about)s"),
        Kind.PROBLEM_HANDED_OVER: _("A problem was handed over to you: %(about)s"),
        Kind.PROBLEM_ESCALATED: _("A problem of your unit was escalated: %(about)s"),
        Kind.PROBLEM_DUE_SOON: _("A problem of yours is due within two working days: %(about)s"),
        Kind.PROBLEM_OVERDUE: _("A problem of yours is overdue: %(about)s"),
        Kind.DAYS_MISSING: _("The three days of %(about)s are not all done yet"),
        Kind.CADRES_BEHIND: _("Cadres of your unit behind on the three days of %(about)s"),
        Kind.WEEKLY_DIGEST: _("Weekly digest of your area: %(about)s"),
        Kind.MONTHLY_REPORT: _("Monthly report %(about)s"),
        Kind.DAILY_DIGEST: _("Your notices of %(about)s"),
    }
    return "「三个一天」" + subjects[notice.kind] % {"about": about}


def _about(notice: Notice) -> str:
    if notice.visit_id and notice.visit is not None:
        return str(notice.visit)
    if notice.concern_id and notice.concern is not None:
        concern = notice.concern
        return f"{concern.get_category_display()} · {concern.description[:30]}"
    if notice.kind == Kind.MONTHLY_REPORT and notice.unit is not None and notice.period:
        return f"{notice.unit.name} {month_label(notice.period)}"
    if notice.kind in (Kind.DAILY_DIGEST, Kind.WEEKLY_DIGEST) and notice.period:
        return f"{notice.period:%Y-%m-%d}"
    if notice.period:
        return month_label(notice.period)
    return ""


def message_for(notice: Notice, attachment: tuple[str, bytes, str] | None = None) -> EmailMultiAlternatives:
    """The mail of one notice (a daily digest lists its notices). Queries for a digest's notices."""
    with translation.override(settings.LANGUAGE_CODE):
        items = []
        if notice.kind == Kind.DAILY_DIGEST:
            digested = notice.digested_notices.select_related(
                "visit__host_union", "visit__host_enterprise", "concern"
            ).order_by("created_at", "id")
            items = [
                {"subject": subject_for(item), "text": item.text, "link": site_link(_open(item))}
                for item in digested
            ]
        context = {
            "notice": notice,
            "cadre": notice.recipient,
            "subject": subject_for(notice),
            "kind": notice.get_kind_display(),
            "link": site_link(_open(notice)),
            "inbox": site_link(reverse("notices:inbox")),
            "preferences": site_link(reverse("notices:preferences")),
            "items": items,
        }
        body = render_to_string("notices/email/notice.txt", context)
        html = render_to_string("notices/email/notice.html", context)
    message = EmailMultiAlternatives(context["subject"], body, to=[notice.recipient.user.email])
    message.attach_alternative(html, "text/html")
    if attachment is not None:
        message.attach(*attachment)
    return message


def _open(notice: Notice) -> str:
    if notice.kind == Kind.DAILY_DIGEST:
        return reverse("notices:inbox")
    return reverse("notices:open", args=[notice.pk])
