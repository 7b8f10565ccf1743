from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render

from .access import cadre_required
from .models import EnterpriseUnion


@cadre_required
def enterprise_list(request):
    """The enterprise directory within the user's scope, with search and paging."""
    qs = EnterpriseUnion.objects.visible_to(request.cadre).select_related(
        "district_union", "last_verified_by"
    )
    q = request.GET.get("q", "").strip()[:100]
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(credit_code__icontains=q) | Q(chair_name__icontains=q))
    page = Paginator(qs.order_by("name", "pk"), 25).get_page(request.GET.get("page"))
    return render(request, "unions/enterpriseunion_list.html", {"page_obj": page, "q": q})
