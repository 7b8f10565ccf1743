from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from . import views

admin.site.site_header = _("「三个一天」 outreach — administration")
admin.site.site_title = _("「三个一天」 administration")
admin.site.index_title = _("Union directory and accounts")

handler500 = "config.errors.server_error"

urlpatterns = [
    path("", views.home, name="home"),
    path("favicon.ico", views.favicon, name="favicon"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("directory/", include("unions.urls")),
    path("outreach/", include("outreach.urls")),
    path("reports/", include("reports.urls")),
]
