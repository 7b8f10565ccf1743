"""The visit form's host search: federations and enterprises of the cadre's district by name."""

from django.http import JsonResponse

from unions.access import cadre_required
from unions.models import DistrictUnion, EnterpriseUnion

from ..forms.visits import DirectoryCheckForm


@cadre_required
def visit_host_search(request):
    """Hosts within the cadre's district whose name matches; own towns and contact enterprises
    first (empty search: only those). ?type=enterprise leaves the federations out."""
    cadre = request.cadre
    q = request.GET.get("q", "").strip()[:50]
    unions = DistrictUnion.objects.hosts_for(cadre)
    enterprises = EnterpriseUnion.objects.hosts_for(cadre)
    if q:
        unions = unions.filter(name__icontains=q)
        enterprises = enterprises.filter(name__icontains=q)
    else:
        unions = unions.filter(rank=0)
        enterprises = enterprises.filter(rank__lt=2)
    if request.GET.get("type") == "enterprise":
        unions = unions.none()
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
            "facts": {name: getattr(e, name) for name in DirectoryCheckForm.FACTS},
        }
        for e in enterprises[:15]
    ]
    return JsonResponse({"results": results})
