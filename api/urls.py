"""/api/v1/: the resources, the OpenAPI schema and its docs (Swagger UI from local files)."""

from django.contrib.auth.decorators import login_required
from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from . import offline, views

app_name = "api"

router = SimpleRouter(use_regex_path=False)
router.register("units", views.UnitViewSet, basename="unit")
router.register("enterprises", views.EnterpriseViewSet, basename="enterprise")
router.register("cadres", views.CadreViewSet, basename="cadre")
router.register("visits", views.VisitViewSet, basename="visit")
router.register("problems", views.ConcernViewSet, basename="problem")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # A page for people: the login page when logged out, like every page.
    path("docs/", login_required(SpectacularSwaggerSplitView.as_view(url_name="api:schema")), name="docs"),
    path("reports/monthly/", views.MonthlyReportView.as_view(), name="report-monthly"),
    path("offline/hosts/", offline.OfflineHostsView.as_view(), name="offline-hosts"),
    path("visits/<int:visit_pk>/photos/", offline.PhotoUploadView.as_view(), name="photo-upload"),
    *router.urls,
]
