from django.urls import path

from . import views

app_name = "unions"

urlpatterns = [
    path("enterprises/", views.enterprise_list, name="enterprise_list"),
]
