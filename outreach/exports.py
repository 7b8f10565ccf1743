"""Workbooks of outreach's records, headers in Chinese, formula-like text kept as text: the
referral rows an office uploads to the aid system (困难职工帮扶, 法律援助), one sheet per kind
in its column order; and a campaign's nominations with their evidence and decision."""

from __future__ import annotations

import io

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from lib.spreadsheets import append_row

from .models import Campaign, Nomination, Referral


def _common_head() -> list[str]:
    return [_("No."), _("Worker's name"), _("Worker's phone")]


def _common(referral: Referral) -> list:
    return [referral.pk, referral.worker_name, referral.worker_phone]


def _tail_head() -> list[str]:
    return [_("Enterprise"), _("Town / zone"), _("Referred by"), _("Referred on"), _("Status"), _("Outcome")]


def _tail(referral: Referral) -> list:
    enterprise = referral.concern.enterprise
    return [
        enterprise.name if enterprise else "",
        referral.town.name,
        referral.opened_by.name,
        f"{referral.created_at.astimezone():%Y-%m-%d}",
        str(referral.get_status_display()),
        referral.outcome,
    ]


def _number(value):
    return float(value) if value is not None else None


SHEETS = {
    Referral.Kind.HARDSHIP: (
        lambda: [
            _("Household members"),
            _("Monthly income per head (yuan)"),
            _("Cause of hardship"),
            _("Housing"),
            _("Health"),
        ],
        lambda r: [
            r.household_members,
            _number(r.monthly_income_per_head),
            str(r.get_hardship_cause_display()) if r.hardship_cause else "",
            r.housing,
            r.health,
        ],
    ),
    Referral.Kind.LEGAL_AID: (
        lambda: [_("Type of dispute"), _("Employer"), _("Amount in dispute (yuan)"), _("Workers concerned")],
        lambda r: [
            str(r.get_dispute_type_display()) if r.dispute_type else "",
            r.employer,
            _number(r.amount_in_dispute),
            r.workers_concerned,
        ],
    ),
}


def referral_workbook(referrals: list[Referral]) -> bytes:
    """Needs each referral's concern__enterprise, town and opened_by (ReferralQuerySet.for_list)."""
    with translation.override("zh-hans"):
        wb = Workbook()
        wb.remove(wb.active)
        for kind, (head, cells) in SHEETS.items():
            sheet = wb.create_sheet(str(Referral.Kind(kind).label)[:31])
            header = _common_head() + head() + _tail_head()
            append_row(sheet, header)
            for referral in referrals:
                if referral.kind == kind:
                    append_row(sheet, _common(referral) + cells(referral) + _tail(referral))
            for column, title in enumerate(header, start=1):
                sheet.column_dimensions[get_column_letter(column)].width = max(10, len(title) * 2 + 2)
            sheet.freeze_panes = "A2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def nominee_name(nomination: Nomination) -> str:
    if nomination.cadre_id:
        return f"{nomination.cadre.name} · {nomination.cadre.unit.name}"
    return str(nomination.nominee)


def campaign_workbook(campaign: Campaign, nominations: list[Nomination]) -> bytes:
    """One row per nomination. Needs NominationQuerySet.for_list()."""
    with translation.override("zh-hans"):
        wb = Workbook()
        sheet = wb.active
        sheet.title = campaign.name[:31] or "1"
        header = [
            _("No."),
            _("Category"),
            _("Nominee"),
            _("Town / zone"),
            _("Reason for the nomination"),
            _("Evidence from the app"),
            _("Nominated by"),
            _("Nominated on"),
            _("Score"),
            _("Review note"),
            _("Status"),
        ]
        append_row(sheet, header)
        for n in nominations:
            evidence = "；".join(f"{label}：{value}" for label, value in n.evidence_items())
            append_row(
                sheet,
                [
                    n.pk,
                    n.category.name,
                    nominee_name(n),
                    n.town.name,
                    n.reason,
                    evidence,
                    n.nominated_by.name,
                    f"{n.created_at.astimezone():%Y-%m-%d}",
                    _number(n.score),
                    n.review_note,
                    str(n.get_status_display()),
                ],
            )
        for column, title in enumerate(header, start=1):
            sheet.column_dimensions[get_column_letter(column)].width = max(10, len(title) * 2 + 2)
        sheet.freeze_panes = "A2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
