"""A leader reviews a submitted visit, or returns it to its author with the reason."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from unions.access import cadre_required

from .. import services
from ..forms.review import ReturnForm, ReviewForm
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
