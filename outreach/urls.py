from django.urls import path

from .views import calendar, concerns, diary, hosts, month, referrals, review, visits

app_name = "outreach"

urlpatterns = [
    path("my-month/", month.my_month, name="my_month"),
    path("calendar/", calendar.calendar, name="calendar"),
    path("diary/", diary.diary, name="diary"),
    path("diary.docx", diary.diary_docx, name="diary_docx"),
    path("visits/", visits.visit_list, name="visit_list"),
    path("visits/new/", visits.visit_create, name="visit_create"),
    path("visits/hosts/", hosts.visit_host_search, name="visit_host_search"),
    path("visits/<int:pk>/", visits.visit_detail, name="visit_detail"),
    path("visits/<int:pk>/edit/", visits.visit_update, name="visit_update"),
    path("visits/<int:pk>/delete/", visits.visit_delete, name="visit_delete"),
    path("visits/<int:pk>/review/", review.visit_review, name="visit_review"),
    path("visits/<int:pk>/return/", review.visit_return, name="visit_return"),
    path("photos/<int:pk>/", visits.visit_photo, name="visit_photo"),
    path("photos/<int:pk>/delete/", visits.visit_photo_delete, name="visit_photo_delete"),
    path("problems/", concerns.concern_list, name="concern_list"),
    path("problems/mine/", concerns.concern_mine, name="concern_mine"),
    path("problems/new/", concerns.concern_create, name="concern_create"),
    path("problems/<int:pk>/", concerns.concern_detail, name="concern_detail"),
    path("problems/<int:pk>/edit/", concerns.concern_update, name="concern_update"),
    path("problems/<int:pk>/status/", concerns.concern_transition, name="concern_transition"),
    path("problems/<int:pk>/hand-over/", concerns.concern_handover, name="concern_handover"),
    path("problems/<int:pk>/escalate/", concerns.concern_escalate, name="concern_escalate"),
    path("problems/<int:pk>/delete/", concerns.concern_delete, name="concern_delete"),
    path("problems/<int:pk>/refer/", referrals.concern_refer, name="concern_refer"),
    path("referrals/", referrals.referral_list, name="referral_list"),
    path("referrals.xlsx", referrals.referral_xlsx, name="referral_xlsx"),
    path("referrals/<int:pk>/", referrals.referral_detail, name="referral_detail"),
    path("referrals/<int:pk>/status/", referrals.referral_transition, name="referral_transition"),
]
