"""Visit pages: the list, the detail with its history, the record form, deletion, photos."""

from __future__ import annotations

from pathlib import PurePath

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lib.pagination import CappedPaginator
from unions.access import cadre_required
from unions.models import Cadre, EnterpriseUnion

from ..campaigns import nominee_context
from ..filters.visits import VisitFilter
from ..forms.opinions import OpinionTagForm
from ..forms.review import ReturnForm, ReviewForm
from ..forms.visits import VisitEntry
from ..models import ModelCase, Visit, VisitPhoto
from ..photos import CONTENT_TYPES
from ..services import Conflict

PAGE_SIZE = 20


def get_visit_for(cadre: Cadre, pk: int) -> Visit:
    """The visit if the cadre may see it, else 404 (another town's visit does not exist for them)."""
    return get_object_or_404(Visit.objects.visible_to(cadre).for_detail(), pk=pk)


@cadre_required
def visit_list(request):
    visits = Visit.objects.visible_to(request.cadre).for_list().with_plan_state(timezone.localdate())
    visit_filter = VisitFilter(request.GET or None, queryset=visits, request=request)
    page = CappedPaginator(visit_filter.qs.order_by("-date", "-id"), PAGE_SIZE, ids_first=True).get_page(
        request.GET.get("page")
    )
    enterprise_id = visit_filter.form.cleaned_data.get("enterprise") if visit_filter.is_bound else None
    enterprise = None
    if enterprise_id:
        enterprise = EnterpriseUnion.objects.visible_to(request.cadre).filter(pk=enterprise_id).first()
    context = {
        "filter": visit_filter,
        "page_obj": page,
        "enterprise": enterprise,
        "is_filtered": any(v for k, v in request.GET.items() if k != "page"),
        "ledger_query": ledger_query(request),
    }
    return render(request, "outreach/visit_list.html", context)


def ledger_query(request) -> str:
    """The list's filters for its ledger export (the page number is not a filter)."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def detail_context(request, visit: Visit, **forms) -> dict:
    cadre = request.cadre
    campaigns = nominee_context(cadre, timezone.localdate(), visit=visit)
    if not visit.counts_as_done:
        campaigns["nominate_categories"] = []
    return {
        **campaigns,
        "model_case": ModelCase.objects.alive().filter(visit=visit).first(),
        "can_mark_case": ModelCase.markable_by(visit, cadre),
        "visit": visit,
        "photos": list(visit.photos.alive()),
        "concerns": list(visit.concerns.alive().order_by("id")),
        "history": visit.history_entries(),
        "can_edit": visit.is_editable_by(cadre),
        "can_delete": visit.is_deletable_by(cadre),
        "can_review": visit.is_reviewable_by(cadre),
        "review_form": forms.get("review_form") or ReviewForm(),
        "return_form": forms.get("return_form") or ReturnForm(),
        "opinions": list(visit.opinions.alive().select_related("theme").order_by("id")),
        "can_tag": cadre.is_leader and visit.counts_as_done and visit.town_id in cadre.scope_unit_ids,
        "tag_form": forms.get("tag_form") or OpinionTagForm.for_visit(visit),
        "just_saved": request.GET.get("saved") == "1",
    }


@cadre_required
def visit_detail(request, pk: int):
    visit = get_visit_for(request.cadre, pk)
    return render(request, "outreach/visit_detail.html", detail_context(request, visit))


def _form_page(request, visit: Visit | None):
    posted = request.method == "POST"
    entry = VisitEntry(
        cadre=request.cadre,
        visit=visit,
        data=request.POST if posted else None,
        files=request.FILES if posted else None,
        query=request.GET,
    )
    if posted:
        if entry.is_valid():
            try:
                saved = entry.save()
            except Conflict:
                current = entry.show_current()
                when = timezone.localtime(current.updated_at).strftime("%Y-%m-%d %H:%M")
                messages.error(request, CONFLICT % {"when": when})
                return render(request, "outreach/visit_form.html", entry.context())
            except ValidationError as error:
                entry.add_model_errors(error)
            else:
                messages.success(request, entry.SAVED[entry.action])
                return redirect(f"{reverse('outreach:visit_detail', args=[saved.pk])}?saved=1")
        messages.error(request, _("Please correct the errors below; nothing was saved."))
    return render(request, "outreach/visit_form.html", entry.context())


CONFLICT = gettext_lazy(
    "Someone else saved this visit while you were editing it (last saved %(when)s). "
    "Your text is kept below: compare it with the saved visit, then save again to replace it."
)


@cadre_required
def visit_create(request):
    return _form_page(request, None)


@cadre_required
def visit_update(request, pk: int):
    visit = get_visit_for(request.cadre, pk)
    if not visit.is_editable_by(request.cadre):
        raise PermissionDenied(
            _("Only the author and companions can edit a visit, and only until it is reviewed.")
        )
    return _form_page(request, visit)


@cadre_required
def visit_delete(request, pk: int):
    """GET asks for confirmation; POST deletes (softly: the office can restore it)."""
    visit = get_visit_for(request.cadre, pk)
    if not visit.is_deletable_by(request.cadre):
        raise PermissionDenied(_("Only the author can delete a visit, and only until it is reviewed."))
    if request.method == "POST":
        visit.soft_delete()
        messages.success(
            request, _("The visit is deleted. Ask the headquarters office if it must be restored.")
        )
        return redirect("outreach:visit_list")
    return render(request, "outreach/visit_confirm_delete.html", {"visit": visit})


@cadre_required
def visit_photo_delete(request, pk: int):
    """The author removes a photo before the review: GET asks, POST removes (softly: the row
    and the file stay until the visit is purged)."""
    photo = get_object_or_404(VisitPhoto.objects.alive(), pk=pk)
    visit = get_visit_for(request.cadre, photo.visit_id)
    if not visit.is_deletable_by(request.cadre):
        raise PermissionDenied(_("Only the author can remove a photo, and only until the visit is reviewed."))
    if request.method == "POST":
        photo.soft_delete()
        messages.success(request, _("The photo is removed from the visit."))
        return redirect(visit)
    return render(request, "outreach/visitphoto_confirm_delete.html", {"photo": photo, "visit": visit})


@cadre_required
def visit_photo(request, pk: int):
    """Photos are personal data: served only to who may see the visit, never as public media."""
    photo = get_object_or_404(VisitPhoto.objects.alive().select_related("visit"), pk=pk)
    if not Visit.objects.visible_to(request.cadre).filter(pk=photo.visit_id).exists():
        raise Http404
    try:
        handle = photo.image.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    # Only the types we write (outreach.photos); a file stored under another name before is
    # downloaded, never rendered as what its name claims.
    content_type = CONTENT_TYPES.get(PurePath(photo.image.name).suffix.lower())
    response = FileResponse(handle, content_type=content_type or "application/octet-stream")
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "inline" if content_type else "attachment"
    return response
