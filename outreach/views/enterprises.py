"""The enterprise page (企业档案): the directory facts, who checked them at which visit, and the
visits and problems of the enterprise that the user may see.

It lives here, not in unions, because it shows outreach's visits and problems (unions imports
no other app); config/urls.py mounts it as unions:enterprise_detail beside the directory list.
"""

from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from lib.pagination import CappedPaginator
from unions.access import cadre_required
from unions.models import EnterpriseUnion

from ..campaigns import nominee_context
from ..models import Concern, Visit

PAGE_SIZE = 10


@cadre_required
def enterprise_detail(request, pk: int):
    cadre = request.cadre
    enterprise = get_object_or_404(
        EnterpriseUnion.objects.visible_to(cadre).select_related("district_union", "last_verified_by"), pk=pk
    )
    visits = Visit.objects.visible_to(cadre).filter(host_enterprise=enterprise).for_list()
    concerns = Concern.objects.visible_to(cadre).filter(enterprise=enterprise).for_list()
    history_page, history = enterprise.history_page(request.GET.get("history_page"), PAGE_SIZE)
    # A verification links its visit only where the user may open that visit.
    numbers = {entry["record"].verified_at_visit for entry in history} - {None}
    openable = set(Visit.objects.visible_to(cadre).filter(pk__in=numbers).values_list("pk", flat=True))
    context = {
        **nominee_context(cadre, timezone.localdate(), enterprise=enterprise),
        "enterprise": enterprise,
        "visits": CappedPaginator(visits.order_by("-date", "-id"), PAGE_SIZE).get_page(
            request.GET.get("visits_page")
        ),
        "concerns": CappedPaginator(concerns.order_by("-received_on", "-id"), PAGE_SIZE).get_page(
            request.GET.get("problems_page")
        ),
        "history_page": history_page,
        "history": history,
        "openable_visits": openable,
    }
    return render(request, "unions/enterpriseunion_detail.html", context)
