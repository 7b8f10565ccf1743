"""A leader reviews a submitted visit, or returns it to its author with the reason."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from unions.access import cadre_required

from .. import services
from ..forms.review import ReturnForm, ReviewForm
from .visits import detail_context, get_visit_for


def _review_step(request, pk: int, *, step, form, form_name: str, done: str, **fields):
    """Check, validate and apply one review step; the detail page again with the form's errors."""
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


@require_POST
@cadre_required
def visit_review(request, pk: int):
    form = ReviewForm(request.POST)
    done = _("The visit is marked reviewed.")
    return _review_step(
        request,
        pk,
        step=services.visit_review,
        form=form,
        form_name="review_form",
        done=done,
        comment="comment",
    )


@require_POST
@cadre_required
def visit_return(request, pk: int):
    form = ReturnForm(request.POST)
    done = _("The visit is returned to %(name)s with your reason.")
    return _review_step(
        request,
        pk,
        step=services.visit_return,
        form=form,
        form_name="return_form",
        done=done,
        reason="reason",
    )
