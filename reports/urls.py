from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("monthly/", views.monthly, name="monthly"),
    path("monthly/print/", views.monthly_print, name="monthly_print"),
    path("monthly.xlsx", views.monthly_xlsx, name="monthly_xlsx"),
    path("trend/", views.trend, name="trend"),
    path("year/", views.year, name="year"),
    path("my-year/", views.my_year, name="my_year"),
    path("year.xlsx", views.year_xlsx, name="year_xlsx"),
    path("assessment/", views.assessment, name="assessment"),
    path("assessment.xlsx", views.assessment_xlsx, name="assessment_xlsx"),
    path("cadres/", views.cadres, name="cadres"),
    path("enterprises/", views.enterprises, name="enterprises"),
    path("visit-ledger.xlsx", views.visit_ledger_xlsx, name="visit_ledger_xlsx"),
    path("problem-ledger.xlsx", views.problem_ledger_xlsx, name="problem_ledger_xlsx"),
]
