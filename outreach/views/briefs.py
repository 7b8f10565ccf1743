"""民情专报 pages: a leader drafts a unit's monthly or quarterly brief, picks the items, writes
a summary per theme, publishes it, prints it on A4 and downloads it as Word or Excel.

Briefs are the leaders' of the unit's subtree; another town's brief is not found (404)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lib.pagination import CappedPaginator
from unions.access import cadre_required, leader_required

from .. import services
from ..brief import brief_docx, brief_workbook, numbered
from ..forms.briefs import BriefCreateForm, BriefItemsForm, BriefSummariesForm, VersionForm
from ..models import Brief

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGE_SIZE = 25


def _get_brief_for_user(request, pk: int) -> Brief:
    return get_object_or_404(Brief.objects.visible_to(request.cadre).for_list(), pk=pk)


def _conflict(request) -> None:
    messages.error(request, _("Someone else changed this brief meanwhile: check it again."))


def _render_brief_list(request, form, status=200):
    briefs = Brief.objects.visible_to(request.cadre).for_list()
    page = CappedPaginator(briefs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "outreach/brief_list.html", {"page_obj": page, "form": form}, status=status)


@leader_required
def brief_list(request):
    return _render_brief_list(request, BriefCreateForm())


@require_POST
@leader_required
def brief_create(request):
    form = BriefCreateForm(request.POST)
    if form.is_valid():
        try:
            brief = services.brief_create(actor=request.cadre, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Brief drafted: add the items of the period."))
            return redirect(brief)
    return _render_brief_list(request, form, status=400)


def _render_detail(request, brief: Brief, status=200, **bound):
    editable = brief.is_editable_by(request.cadre)
    items = brief.chosen_items()
    sections = brief.sections(items)
    for number, item in numbered(sections):
        item.number = number
    context = {
        "brief": brief,
        "sections": sections,
        "editable": editable,
        "version_form": VersionForm(initial={"version": brief.version}),
    }
    if editable:
        candidates = brief.candidates()
        context["items_form"] = bound.get("items_form") or BriefItemsForm(brief=brief, candidates=candidates)
        context["candidates"] = list(candidates)
        context["summaries_form"] = bound.get("summaries_form") or BriefSummariesForm(
            brief=brief, sections=sections
        )
    return render(request, "outreach/brief_detail.html", context, status=status)


@cadre_required
def brief_detail(request, pk: int):
    return _render_detail(request, _get_brief_for_user(request, pk))


def _write(request, brief: Brief, form, form_name: str, write, done: str):
    """scoped fetch (done) → form → service → message → redirect; bad input: the page with the form."""
    if form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            updated = write(brief=brief, actor=request.cadre, expected_version=version, **data)
        except services.Conflict:
            _conflict(request)
            return redirect(brief)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, done)
            return redirect(updated)
    return _render_detail(request, brief, status=400, **{form_name: form})


@require_POST
@cadre_required
def brief_items(request, pk: int):
    brief = _get_brief_for_user(request, pk)
    form = BriefItemsForm(request.POST, brief=brief, candidates=brief.candidates())
    return _write(request, brief, form, "items_form", services.brief_set_items, _("Items saved."))


@require_POST
@cadre_required
def brief_summaries(request, pk: int):
    brief = _get_brief_for_user(request, pk)
    form = BriefSummariesForm(request.POST, brief=brief, sections=brief.sections())

    def write(*, brief, actor, expected_version, title, **summaries):
        return services.brief_save_summaries(
            brief=brief,
            actor=actor,
            expected_version=expected_version,
            title=title,
            summaries=form.summaries(),
        )

    return _write(request, brief, form, "summaries_form", write, _("Summaries saved."))


@require_POST
@cadre_required
def brief_publish(request, pk: int):
    brief = _get_brief_for_user(request, pk)
    form = VersionForm(request.POST)
    return _write(request, brief, form, "version_form", services.brief_publish, _("Brief published."))


@require_POST
@cadre_required
def brief_delete(request, pk: int):
    brief = _get_brief_for_user(request, pk)
    form = VersionForm(request.POST)
    if form.is_valid():
        try:
            services.brief_delete(
                brief=brief, actor=request.cadre, expected_version=form.cleaned_data["version"]
            )
        except services.Conflict:
            _conflict(request)
            return redirect(brief)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect(brief)
        messages.success(request, _("Draft deleted (an administrator can restore it)."))
        return redirect("outreach:brief_list")
    return redirect(brief)


def _download(brief: Brief, content: bytes, content_type: str, suffix: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="brief-{brief.pk}-{brief.year}-{brief.number}.{suffix}"'
    )
    return response


@cadre_required
def brief_docx_download(request, pk: int):
    brief = _get_brief_for_user(request, pk)
    return _download(brief, brief_docx(brief, brief.sections()), DOCX, "docx")


@cadre_required
def brief_xlsx_download(request, pk: int):
    brief = _get_brief_for_user(request, pk)
    return _download(brief, brief_workbook(brief, brief.sections()), XLSX, "xlsx")
