"""Visit pages: my month, the list, detail with history, the record form, review and return."""

from __future__ import annotations

import calendar
import datetime
import mimetypes

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from unions.access import cadre_required
from unions.models import Cadre, DistrictUnion, EnterpriseUnion

from . import services
from .filters import VisitFilter
from .forms import (
    ACTION_PLAN,
    ACTION_SUBMIT,
    ACTIONS,
    TEXT_FIELDS,
    ConcernFormSet,
    DirectoryCheckForm,
    ReturnForm,
    ReviewForm,
    VisitForm,
    host_enterprises_for,
    host_unions_for,
)
from .models import Visit, VisitPhoto

PAGE_SIZE = 20


def _visits_for(cadre: Cadre):
    return Visit.objects.visible_to(cadre).select_related(
        "cadre", "host_union", "host_enterprise", "host_enterprise__district_union", "town", "reviewer"
    )


def _get_visit_for(cadre: Cadre, pk: int) -> Visit:
    """The visit if the cadre may see it, else 404 (another town's visit does not exist for them)."""
    return get_object_or_404(_visits_for(cadre).prefetch_related("companions"), pk=pk)


def _parse_month(value: str | None) -> tuple[int, int]:
    today = timezone.localdate()
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        datetime.date(year, month, 1)
    except ValueError:
        return today.year, today.month
    return year, month


# --- My month -------------------------------------------------------------------------


def my_month_context(cadre: Cadre, year: int, month: int) -> dict:
    """The three kinds of day, the weekly grassroots days and the plans of one month. Two queries."""
    today = timezone.localdate()
    first = datetime.date(year, month, 1)
    last = datetime.date(year, month, calendar.monthrange(year, month)[1])
    mine = (
        Visit.objects.alive()
        .filter(Q(cadre=cadre) | Q(companions=cadre))
        .distinct()
        .select_related("host_union", "host_enterprise", "cadre")
    )
    visits = list(
        mine.filter(date__range=(first, last)).exclude(status=Visit.Status.PLANNED).order_by("date", "id")
    )
    plans = list(
        mine.filter(status=Visit.Status.PLANNED, date__gte=min(first, today)).order_by("date", "id")[:20]
    )
    # A day counts for the cadre who recorded it (each cadre writes his or her own day and
    # 体会; the monthly report's completion matrix uses the same rule). Days as a companion
    # are listed, but do not count.
    own = [v for v in visits if v.cadre_id == cadre.pk]
    kinds = []
    for kind in Visit.Kind:
        of_kind = [v for v in own if v.kind == kind]
        kinds.append(
            {
                "kind": kind,
                "label": kind.label,
                "done": [v for v in of_kind if v.counts_as_done],
                "pending": [v for v in of_kind if not v.counts_as_done],
                "accompanied": [v for v in visits if v.kind == kind and v.cadre_id != cadre.pk],
            }
        )
    weeks = []
    start = first - datetime.timedelta(days=first.weekday())
    while start <= last:
        end = start + datetime.timedelta(days=6)
        in_week = [v for v in visits if start <= v.date <= end]
        weeks.append(
            {
                "start": max(start, first),
                "end": min(end, last),
                "visits": in_week,
                "done": any(v.counts_as_done and v.cadre_id == cadre.pk for v in in_week),
                "future": start > today,
            }
        )
        start = end + datetime.timedelta(days=1)
    previous = first - datetime.timedelta(days=1)
    following = last + datetime.timedelta(days=1)
    return {
        "month_start": first,
        "kinds": kinds,
        "kinds_done": sum(1 for k in kinds if k["done"]),
        "weeks": weeks,
        "plans": plans,
        "previous_month": f"{previous:%Y-%m}",
        "next_month": f"{following:%Y-%m}",
        "is_current_month": (year, month) == (today.year, today.month),
    }


@cadre_required
def my_month(request):
    year, month = _parse_month(request.GET.get("month"))
    context = my_month_context(request.cadre, year, month)
    return render(request, "outreach/my_month.html", {"cadre": request.cadre, **context})


# --- List and detail ------------------------------------------------------------------


@cadre_required
def visit_list(request):
    visit_filter = VisitFilter(request.GET or None, queryset=_visits_for(request.cadre), request=request)
    page = Paginator(visit_filter.qs.order_by("-date", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    enterprise = None
    enterprise_id = visit_filter.form.cleaned_data.get("enterprise") if visit_filter.is_bound else None
    if enterprise_id:
        enterprise = EnterpriseUnion.objects.visible_to(request.cadre).filter(pk=enterprise_id).first()
    return render(
        request,
        "outreach/visit_list.html",
        {
            "filter": visit_filter,
            "page_obj": page,
            "enterprise": enterprise,
            "is_filtered": any(v for k, v in request.GET.items() if k != "page"),
        },
    )


def _history_entries(visit: Visit) -> list[dict]:
    """Readable history: who changed which fields, when. Four queries whatever its length."""
    records = list(visit.history.select_related("history_user__cadre").order_by("history_date", "history_id"))
    fields = [
        "kind",
        "date",
        "host_union",
        "host_enterprise",
        "status",
        "topics",
        "people_met",
        "work_done",
        "answered_questions",
        "worker_opinions",
        "suggestions",
        "reflections",
        "reviewer",
        "review_comment",
        "is_deleted",
    ]
    ids = {"host_union": set(), "host_enterprise": set(), "reviewer": set()}
    for record in records:
        for name, bucket in ids.items():
            if getattr(record, f"{name}_id"):
                bucket.add(getattr(record, f"{name}_id"))
    names = {
        "host_union": dict(DistrictUnion.objects.filter(pk__in=ids["host_union"]).values_list("pk", "name")),
        "host_enterprise": dict(
            EnterpriseUnion.objects.filter(pk__in=ids["host_enterprise"]).values_list("pk", "name")
        ),
        "reviewer": dict(Cadre.objects.filter(pk__in=ids["reviewer"]).values_list("pk", "name")),
    }
    topic_labels = dict(Visit.Topic.choices)

    def shown(record, name):
        if name in names:
            return names[name].get(getattr(record, f"{name}_id"), "")
        value = getattr(record, name)
        if name == "kind":
            return Visit.Kind(value).label if value in Visit.Kind.values else value
        if name == "status":
            return Visit.Status(value).label if value in Visit.Status.values else value
        if name == "topics":
            return "、".join(str(topic_labels.get(t, t)) for t in value or [])
        if name == "is_deleted":
            return _("yes") if value else _("no")
        return value

    entries = []
    previous = None
    for record in records:
        user = record.history_user
        cadre = getattr(user, "cadre", None) if user else None
        who = cadre.name if cadre else (user.get_username() if user else _("system"))
        changes = []
        if previous is not None:
            for name in fields:
                before, after = shown(previous, name), shown(record, name)
                if before != after:
                    label = Visit._meta.get_field(name).verbose_name
                    changes.append({"field": label, "before": before, "after": after})
        entries.append(
            {
                "when": record.history_date,
                "who": who,
                "created": previous is None,
                "reason": record.history_change_reason or "",
                "changes": changes,
            }
        )
        previous = record
    entries.reverse()
    return entries


def _can_review(cadre: Cadre, visit: Visit) -> bool:
    """A leader in scope reviews submitted visits, never his or her own day."""
    involved = visit.cadre_id == cadre.pk or any(c.pk == cadre.pk for c in visit.companions.all())
    return cadre.is_leader and not involved and visit.status == Visit.Status.SUBMITTED


def _detail_context(request, visit: Visit, **forms) -> dict:
    cadre = request.cadre
    topic_labels = dict(Visit.Topic.choices)
    return {
        "visit": visit,
        "topic_labels": [topic_labels.get(t, t) for t in visit.topics or []],
        "text_fields": [
            (Visit._meta.get_field(name).verbose_name, getattr(visit, name)) for name in TEXT_FIELDS
        ],
        "photos": list(visit.photos.all()),
        "concerns": list(visit.concerns.alive().order_by("id")),
        "history": _history_entries(visit),
        "can_edit": visit.is_editable_by(cadre),
        "can_delete": visit.cadre_id == cadre.pk and visit.status != Visit.Status.REVIEWED,
        "can_review": _can_review(cadre, visit),
        "review_form": forms.get("review_form") or ReviewForm(),
        "return_form": forms.get("return_form") or ReturnForm(),
        "just_saved": request.GET.get("saved") == "1",
    }


@cadre_required
def visit_detail(request, pk: int):
    visit = _get_visit_for(request.cadre, pk)
    return render(request, "outreach/visit_detail.html", _detail_context(request, visit))


# --- Record and edit ------------------------------------------------------------------


def _form_page(request, visit: Visit | None):
    cadre = request.cadre
    action = request.POST.get("action", ACTION_SUBMIT) if request.method == "POST" else ACTION_SUBMIT
    if action not in ACTIONS:
        action = ACTION_SUBMIT
    instance = visit or Visit(cadre=cadre)
    enterprise = visit.host_enterprise if visit else None
    initial = {}
    if visit is None and request.method == "GET":
        # Links from my month / the directory may preset the host, kind and date (also the no-JS path).
        host = host_enterprises_for(cadre).filter(pk=request.GET.get("host_enterprise") or 0).first()
        if host:
            enterprise = host
            initial["host_enterprise"] = host.pk
        union = host_unions_for(cadre).filter(pk=request.GET.get("host_union") or 0).first()
        if union and not host:
            initial["host_union"] = union.pk
        if request.GET.get("kind") in Visit.Kind.values:
            initial["kind"] = request.GET["kind"]
        initial["date"] = timezone.localdate()
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    form = VisitForm(data, files, instance=instance, cadre=cadre, action=action, initial=initial)
    directory_form = DirectoryCheckForm(
        data, prefix="dir", initial=DirectoryCheckForm.initial_for(enterprise)
    )
    concern_formset = ConcernFormSet(data, prefix="concerns")

    if request.method == "POST":
        conflict = False
        valid = form.is_valid() & directory_form.is_valid() & concern_formset.is_valid()
        if valid:
            concerns = [f.cleaned_data for f in concern_formset if f.has_changed() and f.cleaned_data]
            try:
                saved = services.visit_save(
                    visit=form.save(commit=False),
                    editor=cadre,
                    action=action,
                    companions=form.cleaned_data["companions"],
                    photos=form.cleaned_data["photos"],
                    concerns=concerns,
                    directory=directory_form.changes(),
                    expected_version=form.cleaned_data.get("version") if visit else None,
                )
            except services.VisitConflict:
                conflict = True
                current = Visit.objects.select_related("cadre").get(pk=visit.pk)
                messages.error(
                    request,
                    _(
                        "Someone else saved this visit while you were editing it (last saved %(when)s). "
                        "Your text is kept below: compare it with the saved visit, then save again to replace it."
                    )
                    % {"when": timezone.localtime(current.updated_at).strftime("%Y-%m-%d %H:%M")},
                )
                # The next save is a deliberate overwrite of the version the user has now been shown.
                data = data.copy()
                data["version"] = current.version
                form = VisitForm(data, instance=current, cadre=cadre, action=action)
                form.is_valid()
            except ValidationError as error:
                # Model rules (e.g. members <= employees) reported where the user typed the value.
                errors = (
                    error.message_dict if hasattr(error, "error_dict") else {NON_FIELD_ERRORS: error.messages}
                )
                for field, field_errors in errors.items():
                    target = directory_form if field in directory_form.fields else form
                    target.add_error(field if field in target.fields else None, field_errors)
            else:
                notice = {
                    "plan": _("The visit is planned."),
                    "draft": _("The draft is saved."),
                    "submit": _("The visit is submitted."),
                }[action]
                messages.success(request, notice)
                return redirect(f"{reverse('outreach:visit_detail', args=[saved.pk])}?saved=1")
        if not conflict:
            messages.error(request, _("Please correct the errors below; nothing was saved."))

    return render(
        request,
        "outreach/visit_form.html",
        {
            "form": form,
            "directory_form": directory_form,
            "concern_formset": concern_formset,
            "visit": visit,
            "host_enterprise": enterprise,
            "draft_key": f"visit-draft:{visit.pk if visit else 'new'}",
            "show_plan": visit is None or visit.status == Visit.Status.PLANNED,
            "plan_action": ACTION_PLAN,
        },
    )


@cadre_required
def visit_create(request):
    return _form_page(request, None)


@cadre_required
def visit_update(request, pk: int):
    visit = _get_visit_for(request.cadre, pk)
    if not visit.is_editable_by(request.cadre):
        raise PermissionDenied(
            _("Only the author and companions can edit a visit, and only until it is reviewed.")
        )
    return _form_page(request, visit)


@cadre_required
def visit_delete(request, pk: int):
    visit = _get_visit_for(request.cadre, pk)
    if visit.cadre_id != request.cadre.pk or visit.status == Visit.Status.REVIEWED:
        raise PermissionDenied(_("Only the author can delete a visit, and only until it is reviewed."))
    if request.method == "POST":
        visit.is_deleted = True
        visit._change_reason = _("Deleted")
        visit.save()
        messages.success(
            request, _("The visit is deleted. Ask the headquarters office if it must be restored.")
        )
        return redirect("outreach:visit_list")
    return render(request, "outreach/visit_confirm_delete.html", {"visit": visit})


# --- Review ---------------------------------------------------------------------------


def _reviewable(request, pk: int) -> Visit:
    visit = _get_visit_for(request.cadre, pk)
    if not request.cadre.is_leader:
        raise PermissionDenied(_("Only leaders can review visits."))
    return visit


def _review_step(request, visit: Visit, step, form, form_name: str, **kwargs):
    if not _can_review(request.cadre, visit):
        messages.error(request, _("Only a submitted visit of someone else can be reviewed or returned."))
        return redirect(visit)
    if not form.is_valid():
        context = _detail_context(request, visit, **{form_name: form})
        return render(request, "outreach/visit_detail.html", context, status=400)
    try:
        step(visit=visit, reviewer=request.cadre, **{k: form.cleaned_data[v] for k, v in kwargs.items()})
    except services.VisitStateError:
        messages.error(request, _("This visit changed meanwhile and can no longer be reviewed or returned."))
        return redirect(visit)
    return None


@require_POST
@cadre_required
def visit_review(request, pk: int):
    visit = _reviewable(request, pk)
    response = _review_step(
        request, visit, services.visit_review, ReviewForm(request.POST), "review_form", comment="comment"
    )
    if response:
        return response
    messages.success(request, _("The visit is marked reviewed."))
    return redirect(visit)


@require_POST
@cadre_required
def visit_return(request, pk: int):
    visit = _reviewable(request, pk)
    response = _review_step(
        request, visit, services.visit_return, ReturnForm(request.POST), "return_form", reason="reason"
    )
    if response:
        return response
    messages.success(
        request, _("The visit is returned to %(name)s with your reason.") % {"name": visit.cadre.name}
    )
    return redirect(visit)


# --- Photos and host search -----------------------------------------------------------


@cadre_required
def visit_photo(request, pk: int):
    """Photos are personal data: served only to who may see the visit, never as public media."""
    photo = get_object_or_404(VisitPhoto.objects.select_related("visit"), pk=pk)
    if not Visit.objects.visible_to(request.cadre).filter(pk=photo.visit_id).exists():
        raise Http404
    try:
        handle = photo.image.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    content_type = mimetypes.guess_type(photo.image.name)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "inline"
    return response


def _facts(enterprise: EnterpriseUnion) -> dict:
    return {name: getattr(enterprise, name) for name in DirectoryCheckForm.FACTS}


@cadre_required
def visit_host_search(request):
    """Hosts within the cadre's district whose name matches; own towns and contact enterprises first."""
    cadre = request.cadre
    q = request.GET.get("q", "").strip()[:50]
    unions = host_unions_for(cadre)
    enterprises = host_enterprises_for(cadre)
    if q:
        unions = unions.filter(name__icontains=q)
        enterprises = enterprises.filter(name__icontains=q)
    else:
        unions = unions.filter(rank=0)
        enterprises = enterprises.filter(rank__lt=2)
    results = [
        {"type": "union", "id": u.pk, "label": u.name, "town": "", "mine": u.rank == 0} for u in unions[:5]
    ]
    results += [
        {
            "type": "enterprise",
            "id": e.pk,
            "label": e.name,
            "town": e.district_union.name,
            "mine": e.rank < 2,
            "facts": _facts(e),
        }
        for e in enterprises[:15]
    ]
    return JsonResponse({"results": results})
