from django.urls import path  # noqa: F401 - routes are added by the visits and problems work

from . import views  # noqa: F401

app_name = "outreach"

# Visits (issue: visits)
urlpatterns = []

# Problems (issue: problems)
urlpatterns += []
