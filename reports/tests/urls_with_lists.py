"""The project's URLs plus stand-ins for the visit and problem lists (built on other branches),
so that the report's drill-down links can be checked here."""

from django.http import HttpResponse
from django.urls import include, path

from config.urls import urlpatterns as project_urls


def stand_in(request):
    return HttpResponse("list")


outreach = (
    [path("visits/", stand_in, name="visit_list"), path("problems/", stand_in, name="concern_list")],
    "outreach",
)
urlpatterns = [p for p in project_urls if getattr(p, "namespace", None) != "outreach"]
urlpatterns += [path("outreach/", include(outreach))]
