from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from outreach.views.enterprises import enterprise_detail
from unions import urls as unions_urls

from . import views

# The enterprise page shows visits and problems, so its view lives in outreach; it joins the
# directory's URLs (and their namespace) here, where the apps are wired together.
directory_urls = [
    *unions_urls.urlpatterns,
    path("enterprises/<int:pk>/", enterprise_detail, name="enterprise_detail"),
]

admin.site.site_header = _("「三个一天」 outreach — administration")
admin.site.site_title = _("「三个一天」 administration")
admin.site.index_title = _("Union directory and accounts")

handler400 = "config.errors.bad_request"
handler404 = "config.errors.page_not_found"
handler500 = "config.errors.server_error"

urlpatterns = [
    path("", views.home, name="home"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("sw.js", views.service_worker, name="service_worker"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("unions.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("directory/", include((directory_urls, unions_urls.app_name))),
    path("outreach/", include("outreach.urls")),
    path("reports/", include("reports.urls")),
    path("notices/", include("notices.urls")),
    path("api/v1/", include("api.urls")),
]
