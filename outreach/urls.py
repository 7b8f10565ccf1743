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
urlpatterns += []
