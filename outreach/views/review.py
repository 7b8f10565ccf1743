"""A leader reviews a submitted visit, or returns it to its author with the reason; the review
queue marks several reviewed at once."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lib.pagination import capped_count, rows_ids_first
from unions.access import cadre_required, leader_required

from .. import services
from ..forms.review import ReturnForm, ReviewForm
from ..models import Visit
from .visits import detail_context, get_visit_for

REVIEWED = gettext_lazy("The visit is marked reviewed.")
RETURNED = gettext_lazy("The visit is returned to %(name)s with your reason.")


def _review_step(request, pk: int, which: str):
    """Check, validate and apply one review step; the detail page again with the form's errors."""
    form_class, step, form_name, fields, done = STEPS[which]
    form = form_class(request.POST)
    visit = get_visit_for(request.cadre, pk)
    if not request.cadre.is_leader:
        raise PermissionDenied(_("Only leaders can review visits."))
    if not visit.is_reviewable_by(request.cadre):
        messages.error(request, _("Only a submitted visit of someone else can be reviewed or returned."))
        return redirect(visit)
    if not form.is_valid():
        context = detail_context(request, visit, **{form_name: form})
        return render(request, "outreach/visit_detail.html", context, status=400)
    try:
        step(visit=visit, reviewer=request.cadre, **{k: form.cleaned_data[v] for k, v in fields.items()})
    except services.VisitStateError:
        messages.error(request, _("This visit changed meanwhile and can no longer be reviewed or returned."))
    else:
        messages.success(request, done % {"name": visit.cadre.name})
    return redirect(visit)


# The two steps: (form, service, the form's name in the page, its field → the service's argument, message).
STEPS = {
    "review": (ReviewForm, services.visit_review, "review_form", {"comment": "comment"}, REVIEWED),
    "return": (ReturnForm, services.visit_return, "return_form", {"reason": "reason"}, RETURNED),
}


@require_POST
@cadre_required
def visit_review(request, pk: int):
    return _review_step(request, pk, "review")


@require_POST
@cadre_required
def visit_return(request, pk: int):
    return _review_step(request, pk, "return")


QUEUE_SHOWN = 100  # the oldest first; the rest after these are reviewed


@leader_required
def review_queue(request):
    """Submitted visits of the leader's area waiting for review, oldest first; tick several and
    mark them reviewed at once (POST)."""
    queue = Visit.objects.review_queue(request.cadre)
    if request.method == "POST":
        return _review_selected(request)
    count, more = capped_count(queue)
    context = {
        "queue": rows_ids_first(queue.for_list(), 0, QUEUE_SHOWN),
        "queue_count": count,
        "queue_more": more,
    }
    return render(request, "outreach/review_queue.html", context)


def _review_selected(request):
    """Each ticked box is "id-version" as shown: a visit changed since (resubmitted, returned,
    reviewed by someone else, deleted) is skipped and named, never overwritten."""
    wanted = {}
    for value in request.POST.getlist("visit"):
        pk, _sep, version = value.partition("-")
        if pk.isdigit() and version.isdigit() and len(pk) < 12 and len(version) < 12:
            wanted[int(pk)] = int(version)
    if not wanted:
        messages.error(request, _("Tick the visits to mark reviewed."))
        return redirect("outreach:review_queue")
    visits = Visit.objects.visible_to(request.cadre).for_detail().filter(pk__in=wanted).order_by("id")
    reviewed, skipped = services.visits_review(
        visits=[(visit, wanted[visit.pk]) for visit in visits], reviewer=request.cadre
    )
    if reviewed:
        messages.success(request, _("%(count)d visits marked reviewed.") % {"count": len(reviewed)})
    if skipped:
        names = "、".join(f"{visit.cadre.name} {visit}" for visit in skipped)
        messages.warning(
            request, _("Skipped, because they changed meanwhile: %(visits)s.") % {"visits": names}
        )
    return redirect("outreach:review_queue")
