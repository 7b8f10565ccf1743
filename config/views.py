"""The home page: what each role sees first after logging in; and /favicon.ico."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils import timezone
from django.views.decorators.http import require_safe

from outreach.reminders import home_notices
from outreach.views import my_month_context
from unions.access import cadre_for


@login_required
def home(request):
    cadre = cadre_for(request.user)
    if cadre is None:
        template = "home/admin.html" if request.user.is_staff else "unions/no_profile.html"
        return render(request, template, status=200 if request.user.is_staff else 403)
    if cadre.is_admin:
        template = "home/admin.html"
    elif cadre.is_leader:
        template = "home/leader.html"
    else:
        template = "home/cadre.html"
    context = {"cadre": cadre}
    if not cadre.is_admin:
        context.update(home_notices(cadre, timezone.localdate()))
    if template == "home/cadre.html":
        # A cadre's home is his or her month: the three days, the weekly days, the plans.
        today = timezone.localdate()
        context.update(my_month_context(cadre, today.year, today.month))
    return render(request, template, context)


@require_safe
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page links (nginx serves it itself). Temporary
    redirect: the static file's hashed name changes with its content."""
    return redirect(static("favicon.ico"))
