"""Monthly reports for leaders: the page, its print view, its workbook, the trend and the
enterprises behind the coverage figures; and the visit and problem ledger exports."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lib.months import add_months, current_month, month_label, parse_month, parse_year
from outreach.campaigns import nominee_context
from outreach.forms.assessments import AssessmentForm
from outreach.models import Assessment, AssessmentGrade
from unions.access import cadre_required, leader_required
from unions.models import Cadre, DistrictUnion

from . import cache as report_cache
from . import charts, ledgers, queries, xlsx
from .assessment import assessment_workbook, build_assessment
from .links import link_cadre_rows, link_completion_rows
from .report import KIND_HEADERS, build_cadre_list, build_monthly_report
from .trend import build_trend
from .year import build_cadre_year, build_year_report, year_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _report_unit(request) -> DistrictUnion:
    """The unit asked for (default: the leader's own); 404 outside the leader's scope."""
    raw = request.GET.get("unit", "").strip()
    if not raw:
        return request.cadre.unit
    if not raw.isdigit():
        raise Http404(_("No such unit in your area."))
    return get_object_or_404(request.cadre.scope_units(), pk=int(raw))


def _not_a_month(raw: str) -> str:
    return _("“%(month)s” is not a month (use YYYY-MM, for example 2026-11).") % {"month": raw[:20]}


def _report_month(request) -> tuple[datetime.date, str]:
    """The month asked for, or the current month with a message when the text is not a month."""
    raw = request.GET.get("month", "").strip()
    if not raw:
        return current_month(), ""
    month = parse_month(raw)
    if month is None:
        showing = _("Showing the current month.")  # not inside the f-string: makemessages skips those
        return current_month(), f"{_not_a_month(raw)} {showing}"
    return month, ""


def _bad_request(request, message: str) -> HttpResponse:
    return render(request, "reports/bad_request.html", {"message": message}, status=400)


def _links_town(request, unit: DistrictUnion) -> int | None:
    # The leader's own area is everything visible (no filter); a unit below it, its subtree.
    return None if unit.pk == request.cadre.unit_id and not unit.is_grassroots else unit.pk


def _context(request, unit: DistrictUnion, month: datetime.date, month_error: str = "") -> dict:
    report = build_monthly_report(unit, month, timezone.localdate(), for_page=True)
    label = month_label(month)
    town = _links_town(request, unit)
    link_cadre_rows(report, {"month": label, "town": town})
    own_scope = unit.pk == request.cadre.unit_id
    return {
        "report": report,
        "kinds": KIND_HEADERS,
        "report_query": urlencode({"month": label, "unit": unit.pk}),
        "unit": unit,
        "month": month,
        "month_label": label,
        "month_error": month_error,
        "previous_month": month_label(add_months(month, -1)),
        "next_month": month_label(add_months(month, 1)),
        "scope_units": report.units if own_scope else list(request.cadre.scope_units()),
        "visit_base": {"month": label, "town": town},
        "concern_base": {"month": label, "town": town},
        "enterprise_base": {"unit": unit.pk, "month": label},
        "cadre_base": {"unit": unit.pk, "month": label},
        "chart": charts.trend_chart(report.trend["months"]),
    }


def _monthly_page(request, template: str, print_mode: bool = False) -> HttpResponse:
    """The report page or its print view. Its sections (the whole report below the header) come
    from the cache when nothing was written since they were rendered (reports/cache.py)."""
    unit = _report_unit(request)
    month, month_error = _report_month(request)
    label = month_label(month)
    today = timezone.localdate()
    key = report_cache.section_key(template, unit.pk, month, _links_town(request, unit), today)
    context: dict = {}

    def render_sections() -> str:
        context.update(_context(request, unit, month, month_error), print_mode=print_mode)
        return render_to_string("reports/includes/_sections.html", context, request)

    sections, was_cached = report_cache.cached_html(key, render_sections)
    if was_cached:  # the header's own few values (the report itself is not built)
        context = {
            "unit": unit,
            "month": month,
            "month_label": label,
            "month_error": month_error,
            "report_query": urlencode({"month": label, "unit": unit.pk}),
            "previous_month": month_label(add_months(month, -1)),
            "next_month": month_label(add_months(month, 1)),
            "scope_units": list(request.cadre.scope_units().order_by("path")),
            "print_mode": print_mode,
        }
    context.update(sections=mark_safe(sections), today=today)  # nosec B703 B308 - our own rendered template
    return render(request, template, context)


@leader_required
def monthly(request):
    return _monthly_page(request, "reports/monthly.html")


@leader_required
def monthly_print(request):
    return _monthly_page(request, "reports/monthly_print.html", print_mode=True)


@leader_required
def trend(request):
    unit = _report_unit(request)
    month, month_error = _report_month(request)
    report_months = build_trend(unit, month)
    return render(
        request,
        "reports/trend.html",
        {
            "unit": unit,
            "month": month,
            "month_label": month_label(month),
            "month_error": month_error,
            "kinds": KIND_HEADERS,
            "report_query": urlencode({"month": month_label(month), "unit": unit.pk}),
            "trend": report_months,
            "chart": charts.trend_chart(report_months["months"]),
        },
    )


@leader_required
def monthly_xlsx(request):
    unit = _report_unit(request)
    raw = request.GET.get("month", "").strip()
    month = parse_month(raw) if raw else current_month()
    if month is None:
        return _bad_request(request, _not_a_month(raw))
    report = build_monthly_report(unit, month, timezone.localdate())
    response = HttpResponse(xlsx.monthly_workbook(report), content_type=XLSX)
    filename = f"monthly-report-{month_label(month)}-{unit.pk}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _not_a_year(raw: str) -> str:
    return _("“%(year)s” is not a year (use YYYY, for example 2026).") % {"year": raw[:20]}


def _report_year(request) -> tuple[int, str]:
    """The year asked for, or the current year with a message when the text is not a year."""
    raw = request.GET.get("year", "").strip()
    this_year = timezone.localdate().year
    if not raw:
        return this_year, ""
    year = parse_year(raw)
    if year is None:
        showing = _("Showing the current year.")
        return this_year, f"{_not_a_year(raw)} {showing}"
    return year, ""


@leader_required
def year(request):
    """强化考核: the unit's year, per cadre and per unit, against the yearly quotas."""
    unit = _report_unit(request)
    year, year_error = _report_year(request)
    report = build_year_report(unit, year, timezone.localdate())
    return render(
        request,
        "reports/year.html",
        {
            "report": report,
            "kinds": KIND_HEADERS,
            "unit": unit,
            "year": year,
            "year_error": year_error,
            "report_query": urlencode({"year": year, "unit": unit.pk}),
            "scope_units": report.units
            if unit.pk == request.cadre.unit_id
            else list(request.cadre.scope_units()),
        },
    )


@cadre_required
def my_year(request):
    """A cadre's own year: each month's three days, the grassroots weeks and the yearly quota."""
    year, year_error = _report_year(request)
    row = build_cadre_year(request.cadre, year, timezone.localdate())
    # The campaigns the cadre was nominated in (nobody nominates himself or herself here).
    campaigns = nominee_context(request.cadre, timezone.localdate(), cadre=request.cadre)
    campaigns["nominate_categories"] = []
    return render(
        request,
        "reports/my_year.html",
        {
            **campaigns,
            "row": row,
            "year": year,
            "year_error": year_error,
            "kinds": KIND_HEADERS,
            "cadre": request.cadre,
        },
    )


@leader_required
def year_xlsx(request):
    unit = _report_unit(request)
    raw = request.GET.get("year", "").strip()
    year = parse_year(raw) if raw else timezone.localdate().year
    if year is None:
        return _bad_request(request, _not_a_year(raw))
    report = build_year_report(unit, year, timezone.localdate())
    response = HttpResponse(year_workbook(report), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="year-report-{year}-{unit.pk}.xlsx"'
    return response


QUARTERS = ("1", "2", "3", "4")


def _report_quarter(request) -> tuple[int, str]:
    """?quarter=1..4, or the whole year (empty or 0); anything else: the whole year, with a message."""
    raw = request.GET.get("quarter", "").strip()
    if raw in ("", "0"):
        return Assessment.WHOLE_YEAR, ""
    if raw in QUARTERS:
        return int(raw), ""
    return Assessment.WHOLE_YEAR, _("“%(q)s” is not a quarter (1 to 4): showing the whole year.") % {
        "q": raw[:10]
    }


@leader_required
def assessment(request):
    """效能考评 of a quarter or the year: scores, the leader's appraisal and grade, sign-off."""
    unit = _report_unit(request)
    year, year_error = _report_year(request)
    quarter, quarter_error = _report_quarter(request)
    today = timezone.localdate()
    query = urlencode({"year": year, "quarter": quarter, "unit": unit.pk})
    posted = None
    if request.method == "POST":
        posted = _assessment_post(request, unit, year, quarter, today)
        if isinstance(posted, HttpResponse):
            return posted
    sheet = build_assessment(unit, year, quarter, today)
    for row in sheet.rows:
        a = row["assessment"]
        if posted is not None and posted[0] == row["id"]:
            row["form"] = posted[1]
        elif not (a and a.is_signed):
            initial = {"version": a.version if a else None}
            row["form"] = AssessmentForm(
                instance=a,
                prefix=f"c{row['id']}",
                initial=initial,
                grades=sheet.grades,
                suggested=row["suggested"],
            )
    context = {
        "sheet": sheet,
        "unit": unit,
        "year": year,
        "quarter": quarter,
        "quarters": [1, 2, 3, 4],
        "notes": [n for n in (year_error, quarter_error) if n],
        "query": query,
        "me": request.cadre,
        "scope_units": list(request.cadre.scope_units().order_by("path")),
    }
    return render(request, "reports/assessment.html", context, status=400 if posted else 200)


def _assessment_post(request, unit, year: int, quarter: int, today):
    """Save the appraisal and grade of one cadre, or sign it off (then frozen). Returns a
    redirect, or (cadre id, bound form with errors) to show the page again with the form kept."""
    raw = request.POST.get("cadre", "").strip()
    if not raw.isdigit() or len(raw) > 12:
        raise Http404(_("No such cadre in your area."))
    in_unit = Cadre.objects.visible_to(request.cadre).filter(unit__in=DistrictUnion.objects.subtree(unit))
    cadre = get_object_or_404(in_unit, pk=int(raw))
    if cadre.pk == request.cadre.pk:
        raise PermissionDenied(_("You cannot assess yourself: the leader above you does."))
    back = redirect(f"{request.path}?{urlencode({'year': year, 'quarter': quarter, 'unit': unit.pk})}")
    try:
        with transaction.atomic():
            current = (
                Assessment.objects.select_for_update().filter(cadre=cadre, year=year, quarter=quarter).first()
            )
            if current is not None and current.is_signed:
                messages.error(
                    request, _("This assessment is already signed off: it cannot change any more.")
                )
                return back
            instance = current or Assessment(cadre=cadre, year=year, quarter=quarter)
            grades = list(AssessmentGrade.objects.offered())
            form = AssessmentForm(request.POST, instance=instance, prefix=f"c{cadre.pk}", grades=grades)
            if not form.is_valid():
                return cadre.pk, form
            if current is not None and form.cleaned_data.get("version") not in (None, current.version):
                form.add_error(
                    None, _("Someone else saved this assessment meanwhile: check it and save again.")
                )
                return cadre.pk, form
            assessment = form.instance
            if request.POST.get("action") == AssessmentForm.SIGN:
                live = build_assessment(unit, year, quarter, today)
                figures = next(row["live"] for row in live.rows if row["id"] == cadre.pk)
                assessment.sign_off(by=request.cadre, figures=figures)
            if assessment.pk:
                assessment.version += 1
            assessment.full_clean()
            assessment.save()
    except ValidationError as error:
        for message in error.messages:
            form.add_error(None, message)
        return cadre.pk, form
    except IntegrityError:
        messages.error(request, _("Someone else saved this assessment at the same time: please try again."))
        return back
    if assessment.is_signed:
        messages.success(request, _("%(name)s's assessment is signed off.") % {"name": cadre.name})
    else:
        messages.success(request, _("%(name)s's appraisal is saved.") % {"name": cadre.name})
    return back


@leader_required
def assessment_xlsx(request):
    unit = _report_unit(request)
    raw = request.GET.get("year", "").strip()
    year = parse_year(raw) if raw else timezone.localdate().year
    if year is None:
        return _bad_request(request, _not_a_year(raw))
    quarter, quarter_error = _report_quarter(request)
    if quarter_error:
        return _bad_request(request, quarter_error)
    sheet = build_assessment(unit, year, quarter, timezone.localdate())
    response = HttpResponse(assessment_workbook(sheet), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="assessment-{year}-q{quarter}-{unit.pk}.xlsx"'
    return response


CADRE_LISTS = {
    "all": gettext_lazy("All active cadres"),
    "chairman": gettext_lazy("Did the chairman day"),
    "office": gettext_lazy("Did the office day"),
    "worker": gettext_lazy("Did the worker day"),
    "weekly": gettext_lazy("Went down every week"),
    "complete": gettext_lazy("Completed the three days"),
    "incomplete": gettext_lazy("Not yet completed the three days"),
}


@leader_required
def cadres(request):
    """The cadres behind a completion count or an evaluation score of the report: those whose
    home is in the row's unit (`members`: queries.units_of_row), or all of the report's area
    for its total."""
    unit = _report_unit(request)
    month, month_error = _report_month(request)
    which = request.GET.get("which", "all")
    if which not in CADRE_LISTS:
        which = "all"
    units = queries.scope_units(unit)
    members = request.GET.get("members", "").strip()
    if members:
        units = queries.units_of_row(units, unit, members)
        if not units:
            raise Http404(_("No such unit in your area."))
    figures = build_cadre_list(units, month, timezone.localdate(), which)
    label = month_label(month)
    link_completion_rows(figures["rows"], {"month": label})
    return render(
        request,
        "reports/cadre_list.html",
        {
            "unit": unit,
            "members_unit": units[0] if members else None,
            "month_label": label,
            "month_error": month_error,
            "which": which,
            "which_label": CADRE_LISTS[which],
            "figures": figures,
            "kinds": KIND_HEADERS,
        },
    )


ENTERPRISE_LISTS = {
    "all": gettext_lazy("All active enterprises"),
    "month": gettext_lazy("Visited this month"),
    "year": gettext_lazy("Visited this year"),
    "never": gettext_lazy("Never visited"),
    "union": gettext_lazy("With a union"),
    "office": gettext_lazy("With a union work office"),
}


@leader_required
def enterprises(request):
    """The enterprises behind a coverage or establishment figure, in the report's scope."""
    unit = _report_unit(request)
    month, month_error = _report_month(request)
    which = request.GET.get("which", "all")
    if which not in ENTERPRISE_LISTS:
        which = "all"
    units = DistrictUnion.objects.subtree(unit)  # a sub-select: no query of its own
    town = request.GET.get("town", "").strip()
    if town:
        units = queries.units_of_row(queries.scope_units(unit), unit, town)
        if not units:
            raise Http404(_("No such unit in your area."))
    qs = queries.enterprises_for(units, month, which)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "reports/enterprise_list.html",
        {
            "unit": unit,
            "month_label": month_label(month),
            "month_error": month_error,
            "which": which,
            "which_label": ENTERPRISE_LISTS[which],
            "page_obj": page,
        },
    )


@cadre_required
def visit_ledger_xlsx(request):
    """台账: the visits the user may see, filtered like the visit list, as a workbook."""
    raw_month = request.GET.get("month", "").strip()
    if raw_month and parse_month(raw_month) is None:
        return _bad_request(request, _not_a_month(raw_month))
    visits = ledgers.ledger_visits(request)
    response = HttpResponse(ledgers.ledger_workbook(visits), content_type=XLSX)
    stamp = f"{timezone.localdate():%Y%m%d}"
    response["Content-Disposition"] = f'attachment; filename="visit-ledger-{raw_month or stamp}.xlsx"'
    return response


@cadre_required
def problem_ledger_xlsx(request):
    """台账: the problems the user may see, filtered like the problem list, by received date."""
    concern_filter = ledgers.concern_filter(request)
    if not concern_filter.is_valid():
        errors = concern_filter.form.errors.values()
        return _bad_request(request, " ".join(str(text) for field_errors in errors for text in field_errors))
    workbook = ledgers.concern_ledger_workbook(concern_filter.qs, request.cadre)
    response = HttpResponse(workbook, content_type=XLSX)
    month = concern_filter.form.cleaned_data.get("month")
    stamp = f"{month:%Y-%m}" if month else f"{timezone.localdate():%Y%m%d}"
    response["Content-Disposition"] = f'attachment; filename="problem-ledger-{stamp}.xlsx"'
    return response
