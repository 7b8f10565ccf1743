from django.urls import path

from . import views

app_name = "notices"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("read-all/", views.read_all, name="read_all"),
    path("preferences/", views.preferences, name="preferences"),
    path("<int:notice_pk>/", views.open_notice, name="open"),
    path("<int:notice_pk>/read/", views.read, name="read"),
]
