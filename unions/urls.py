from django.urls import path

from . import views
from .accounts import cadres

app_name = "unions"

urlpatterns = [
    path("enterprises/", views.enterprise_list, name="enterprise_list"),
    path("cadres/", cadres.cadre_list, name="cadre_list"),
    path("cadres/invite/", cadres.cadre_invite, name="cadre_invite"),
    path("cadres/activation-sheet/", cadres.cadre_sheet, name="cadre_sheet"),
    path("cadres/<int:pk>/reinvite/", cadres.cadre_reinvite, name="cadre_reinvite"),
    path("cadres/<int:pk>/deactivate/", cadres.cadre_deactivate, name="cadre_deactivate"),
]
