from django.urls import path

from . import views

app_name = "outreach"

# Visits (issue: visits)
urlpatterns = [
    path("my-month/", views.my_month, name="my_month"),
    path("visits/", views.visit_list, name="visit_list"),
    path("visits/new/", views.visit_create, name="visit_create"),
    path("visits/hosts/", views.visit_host_search, name="visit_host_search"),
    path("visits/<int:pk>/", views.visit_detail, name="visit_detail"),
    path("visits/<int:pk>/edit/", views.visit_update, name="visit_update"),
    path("visits/<int:pk>/delete/", views.visit_delete, name="visit_delete"),
    path("visits/<int:pk>/review/", views.visit_review, name="visit_review"),
    path("visits/<int:pk>/return/", views.visit_return, name="visit_return"),
    path("photos/<int:pk>/", views.visit_photo, name="visit_photo"),
]

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
