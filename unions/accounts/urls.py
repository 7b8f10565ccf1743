"""The accounts pages under accounts/, with Django's auth URL names (no namespace)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.account, name="account"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password/done/", views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("reset/sent/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("reset/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("reset/done/", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("activate/<uidb64>/<token>/", views.ActivateView.as_view(), name="account_activate"),
]
