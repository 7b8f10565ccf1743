from django.shortcuts import render

from lib.pagination import CappedPaginator
from lib.search import text_search

from .access import cadre_required
from .models import EnterpriseUnion


@cadre_required
def enterprise_list(request):
    """The enterprise directory within the user's scope, with search and paging."""
    qs = EnterpriseUnion.objects.visible_to(request.cadre).select_related(
        "district_union", "last_verified_by"
    )
    q = request.GET.get("q", "").strip()[:100]
    qs = text_search(qs, q, ("name", "credit_code", "chair_name"))
    page = CappedPaginator(qs.order_by("name", "pk"), 25).get_page(request.GET.get("page"))
    return render(request, "unions/enterpriseunion_list.html", {"page_obj": page, "q": q})
