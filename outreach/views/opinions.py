"""民情民意 pages: leaders tag a visit's opinions and suggestions with themes, list them, merge
duplicates, forward an item and record the answer.

Items are the leaders' (a cadre's own visit shows its tags); another town's item is not found
(404). Every step is a POST with the version the form was built from."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lib.months import month_end
from lib.pagination import CappedPaginator
from unions.access import cadre_required, leader_required

from .. import services
from ..forms.opinions import (
    OpinionAnswerForm,
    OpinionEditForm,
    OpinionFilterForm,
    OpinionForwardForm,
    OpinionMergeForm,
    OpinionTagForm,
    VersionForm,
)
from ..models import Opinion, Visit
from .visits import detail_context, get_visit_for

PAGE_SIZE = 25


def _conflict_message() -> str:
    return _("Someone else changed this item meanwhile: check it again.")


@require_POST
@cadre_required
def visit_tag(request, pk: int):
    """File one item of the visit's opinions or suggestions under a theme."""
    visit = get_visit_for(request.cadre, pk)
    form = OpinionTagForm(request.POST)
    if form.is_valid():
        try:
            services.opinion_tag(visit=visit, actor=request.cadre, **form.cleaned_data)
        except ValidationError as error:
            # A refusal (not a leader here, not a done visit): the form may not be on the page.
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Tagged: the item is in the 民情民意 list."))
            return redirect(f"{reverse('outreach:visit_detail', args=[visit.pk])}#opinions")
    context = detail_context(request, visit, tag_form=form)
    return render(request, "outreach/visit_detail.html", context, status=400)


def _get_opinion_for_user(request, pk: int) -> Opinion:
    return get_object_or_404(Opinion.objects.visible_to(request.cadre).for_list(), pk=pk)


def _render_detail(request, opinion: Opinion, status: int = 200, **bound):
    cadre = request.cadre
    forms = {
        "edit_form": OpinionEditForm(opinion=opinion),
        "merge_form": OpinionMergeForm(opinion=opinion, cadre=cadre),
        "forward_form": OpinionForwardForm(opinion=opinion),
        "answer_form": OpinionAnswerForm(opinion=opinion),
        "version_form": VersionForm(initial={"version": opinion.version}),
    }
    forms.update(bound)
    duplicates = list(opinion.duplicates.alive().for_list().order_by("date", "id"))
    context = {
        "opinion": opinion,
        "duplicates": duplicates,
        "history": opinion.history_entries(),
        "can_manage": opinion.is_managed_by(cadre),
        **forms,
    }
    return render(request, "outreach/opinion_detail.html", context, status=status)


@cadre_required
def opinion_detail(request, pk: int):
    return _render_detail(request, _get_opinion_for_user(request, pk))


def _step(request, pk: int, form_class, form_name: str, write, done: str, *, form_kwargs):
    """The shape of every POST on an item: scoped fetch → form → service → message → redirect;
    a stale version or a refused step → message; bad input → the page again with the form."""
    opinion = _get_opinion_for_user(request, pk)
    form = form_class(request.POST, **form_kwargs(opinion))
    if form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            updated = write(opinion=opinion, actor=request.cadre, expected_version=version, **data)
        except services.Conflict:
            messages.error(request, _conflict_message())
            return redirect(opinion)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, done)
            return redirect(updated)
    for error in form.non_field_errors():
        messages.error(request, error)
    return _render_detail(request, opinion, status=400, **{form_name: form})


@require_POST
@cadre_required
def opinion_update(request, pk: int):
    return _step(
        request,
        pk,
        OpinionEditForm,
        "edit_form",
        services.opinion_update,
        _("Item saved."),
        form_kwargs=lambda o: {"opinion": o},
    )


@require_POST
@cadre_required
def opinion_merge(request, pk: int):
    return _step(
        request,
        pk,
        OpinionMergeForm,
        "merge_form",
        services.opinion_merge,
        _("Marked as a duplicate: it counts once, with both visits."),
        form_kwargs=lambda o: {"opinion": o, "cadre": request.cadre},
    )


@require_POST
@cadre_required
def opinion_unmerge(request, pk: int):
    return _step(
        request,
        pk,
        VersionForm,
        "version_form",
        services.opinion_unmerge,
        _("The item stands on its own again."),
        form_kwargs=lambda o: {},
    )


@require_POST
@cadre_required
def opinion_forward(request, pk: int):
    return _step(
        request,
        pk,
        OpinionForwardForm,
        "forward_form",
        services.opinion_forward,
        _("Forwarding recorded."),
        form_kwargs=lambda o: {"opinion": o},
    )


@require_POST
@cadre_required
def opinion_answer(request, pk: int):
    return _step(
        request,
        pk,
        OpinionAnswerForm,
        "answer_form",
        services.opinion_answer,
        _("Answer recorded."),
        form_kwargs=lambda o: {"opinion": o},
    )


@require_POST
@cadre_required
def opinion_delete(request, pk: int):
    opinion = _get_opinion_for_user(request, pk)
    form = VersionForm(request.POST)
    if not form.is_valid():
        raise Http404  # a POST without the page's version did not come from the page
    try:
        services.opinion_delete(
            opinion=opinion, actor=request.cadre, expected_version=form.cleaned_data["version"]
        )
    except services.Conflict:
        messages.error(request, _conflict_message())
        return redirect(opinion)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(opinion)
    messages.success(request, _("Item deleted (an administrator can restore it)."))
    return redirect(f"{reverse('outreach:visit_detail', args=[opinion.visit_id])}#opinions")


def filtered_opinions(request) -> tuple[OpinionFilterForm, object]:
    """The list's items after its filters (also the themes report's drill-down)."""
    form = OpinionFilterForm(request.GET or None, cadre=request.cadre)
    qs = Opinion.objects.visible_to(request.cadre).for_list()
    duplicates = False
    if form.is_valid():
        data = form.cleaned_data
        if data["theme"]:
            qs = qs.filter(theme=data["theme"])
        if data["town"]:
            qs = qs.in_subtree(data["town"])
        if data["month"]:
            qs = qs.in_period(data["month"], month_end(data["month"]))
        if data["source"]:
            qs = qs.filter(source=data["source"])
        if data["status"]:
            qs = qs.filter(status=data["status"])
        duplicates = data["duplicates"]
    if not duplicates:
        qs = qs.originals()
    return form, qs.order_by("-date", "-id")


@leader_required
def opinion_list(request):
    form, qs = filtered_opinions(request)
    page = CappedPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "outreach/opinion_list.html",
        {"filter_form": form, "page_obj": page, "query": query.urlencode()},
    )


@leader_required
def opinion_untagged(request):
    """Done visits of the leader's towns whose opinions or suggestions have no item yet."""
    tagged = Opinion.objects.alive().filter(visit_id=OuterRef("pk"))
    visits = (
        Visit.objects.visible_to(request.cadre)
        .with_opinions()
        .filter(town_id__in=request.cadre.scope_unit_ids)
        .filter(~Exists(tagged))
        .for_list()
        .order_by("-date", "-id")
    )
    page = CappedPaginator(visits, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "outreach/opinion_untagged.html", {"page_obj": page})
