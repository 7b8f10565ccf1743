"""The home page: what each role sees first after logging in; /favicon.ico; and the installable
app's manifest and service worker, which must sit at the site's root."""

from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils import timezone
from django.views.decorators.http import require_safe

from outreach.month import MyMonth
from outreach.reminders import home_notices
from unions.access import cadre_for


def _template(cadre, user) -> tuple[str, int]:
    if cadre is None:
        return ("home/admin.html", 200) if user.is_staff else ("unions/no_profile.html", 403)
    if cadre.is_admin:
        return "home/admin.html", 200
    return ("home/leader.html" if cadre.is_leader else "home/cadre.html"), 200


@login_required
def home(request):
    cadre = cadre_for(request.user)
    template, status = _template(cadre, request.user)
    context = {"cadre": cadre}
    if cadre is not None and not cadre.is_admin:
        today = timezone.localdate()
        context.update(home_notices(cadre, today))
        if not cadre.is_leader:
            # A cadre's home is his or her month: the three days, the weekly days, the plans.
            context.update(MyMonth.of(cadre, today.replace(day=1), today).context())
    return render(request, template, context, status=status)


@require_safe
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page links (nginx serves it itself). Temporary
    redirect: the static file's hashed name changes with its content."""
    return redirect(static("favicon.ico"))


@require_safe
def service_worker(request):
    """static/sw.js, served from /sw.js so that it may control every page of the site. Public
    (it holds no data; it is registered from logged-in pages only) and never kept in the HTTP
    cache, so that a new release reaches the phones at their next visit."""
    with open(finders.find("sw.js"), "rb") as script:
        response = HttpResponse(script.read(), content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


# The name a phone shows under the icon is Chinese whatever the language chosen in the app:
# the manifest is read once, at installation, by the phone and not by the user's session.
APP_NAME = "「三个一天」走访"
APP_SHORT_NAME = "三个一天"


@require_safe
def manifest(request):
    """The web app manifest: installable, standalone, the app's red (browsers fetch it without cookies)."""
    icons = [
        {"src": static("icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
        {"src": static("icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
        {
            "src": static("icons/icon-maskable-512.png"),
            "sizes": "512x512",
            "type": "image/png",
            "purpose": "maskable",
        },
    ]
    data = {
        "id": "/",
        "name": APP_NAME,
        "short_name": APP_SHORT_NAME,
        "lang": "zh-CN",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#f8f9fa",
        "theme_color": "#dc3545",
        "icons": icons,
    }
    response = JsonResponse(
        data, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False}
    )
    response["Cache-Control"] = "no-cache"
    return response
