from django.urls import path  # noqa: F401 - routes are added by the visits and problems work

from . import views  # noqa: F401

app_name = "outreach"

# Visits (issue: visits)
urlpatterns = []

# Problems (issue: problems)
from . import views_concerns  # noqa: E402

urlpatterns += [
    path("problems/", views_concerns.concern_list, name="concern_list"),
    path("problems/mine/", views_concerns.concern_mine, name="concern_mine"),
    path("problems/new/", views_concerns.concern_create, name="concern_create"),
    path("problems/<int:pk>/", views_concerns.concern_detail, name="concern_detail"),
    path("problems/<int:pk>/edit/", views_concerns.concern_update, name="concern_update"),
    path("problems/<int:pk>/status/", views_concerns.concern_transition, name="concern_transition"),
    path("problems/<int:pk>/hand-over/", views_concerns.concern_handover, name="concern_handover"),
    path("problems/<int:pk>/escalate/", views_concerns.concern_escalate, name="concern_escalate"),
    path("problems/<int:pk>/delete/", views_concerns.concern_delete, name="concern_delete"),
]
