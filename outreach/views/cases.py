"""Model cases (典型案例): a leader marks a done visit with a short write-up; the case library
lists them by theme (the themes its visit's opinions were tagged with, 民情民意) and town,
and prints."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from unions.access import cadre_required

from ..forms.campaigns import CaseFilterForm, ModelCaseForm
from ..models import ModelCase
from .visits import get_visit_for


@cadre_required
def case_list(request):
    form = CaseFilterForm(request.GET or None, cadre=request.cadre)
    cases = ModelCase.objects.visible_to(request.cadre).for_library()
    if form.is_valid():
        if form.cleaned_data["town"]:
            cases = cases.filter(visit__town=form.cleaned_data["town"])
        if form.cleaned_data["kind"]:
            cases = cases.filter(visit__kind=form.cleaned_data["kind"])
        if form.cleaned_data["theme"]:
            cases = cases.with_theme(form.cleaned_data["theme"])
    context = {"filter_form": form, "themes": by_theme(list(cases))}
    return render(request, "outreach/modelcase_list.html", context)


def by_theme(cases: list[ModelCase]) -> list[dict]:
    """Each theme with its cases (a case under each of its visit's themes), in the admin's
    order of the themes, then the cases whose visit has no tagged opinion."""
    groups: dict = {}
    for case in cases:
        for theme in case.themes() or [None]:
            groups.setdefault(theme, []).append(case)
    ordered = sorted((t for t in groups if t is not None), key=lambda t: (t.position, t.pk))
    themes = [{"label": theme.name, "cases": groups[theme]} for theme in ordered]
    if None in groups:
        themes.append({"label": _("No theme tagged yet"), "cases": groups[None]})
    return themes


@cadre_required
def visit_case(request, pk: int):
    """Mark the visit as a model case, or change its write-up (a removed one comes back)."""
    visit = get_visit_for(request.cadre, pk)
    if not ModelCase.markable_by(visit, request.cadre):
        raise PermissionDenied(_("Only a leader marks a visit that was done as a model case."))
    case = ModelCase.objects.filter(visit=visit).first() or ModelCase(visit=visit, marked_by=request.cadre)
    form = ModelCaseForm(request.POST or None, instance=case)
    if request.method == "POST":
        if form.is_valid():
            case = form.save(commit=False)
            case.is_deleted = False
            case.marked_by = request.cadre
            case.save()
            messages.success(request, _("The visit is in the case library."))
            return redirect(visit)
        messages.error(request, _("Please correct the errors below; nothing was saved."))
    context = {"visit": visit, "form": form, "case": case}
    return render(request, "outreach/modelcase_form.html", context, status=400 if form.errors else 200)


@require_POST
@cadre_required
def visit_case_remove(request, pk: int):
    visit = get_visit_for(request.cadre, pk)
    case = ModelCase.objects.alive().filter(visit=visit).first()
    if case is None or not ModelCase.markable_by(visit, request.cadre):
        raise PermissionDenied(_("Only a leader marks a visit that was done as a model case."))
    case.is_deleted = True
    case.save(update_fields=["is_deleted"])
    messages.success(request, _("The visit is no longer a model case (the write-up is kept)."))
    return redirect(visit)
