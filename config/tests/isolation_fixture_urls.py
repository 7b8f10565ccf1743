"""A throw-away URLconf that proves test_isolation's machinery catches leaks (see test_isolation)."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns
from outreach.models import Visit
from unions.access import cadre_required


@cadre_required
def visit_scoped(request, pk):
    visit = get_object_or_404(Visit.objects.visible_to(request.cadre), pk=pk)
    return HttpResponse(visit.work_done)


@cadre_required
def visit_leaky(request, pk):
    return HttpResponse(Visit.objects.get(pk=pk).work_done)


@cadre_required
def visit_writes_then_404(request, pk):
    if request.method == "POST":
        Visit.objects.filter(pk=pk).update(work_done=request.POST.get("work_done", ""))
    raise Http404


urlpatterns = [
    path("visits/<int:pk>/", visit_scoped, name="visit_scoped"),
    path("visits/<int:pk>/leaky/", visit_leaky, name="visit_leaky"),
    path("visits/<int:pk>/sneaky/", visit_writes_then_404, name="visit_sneaky"),
    *site_urlpatterns,  # the 404 page's menu links to the site's pages
]
