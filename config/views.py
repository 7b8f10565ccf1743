"""The home page: what each role sees first after logging in; and /favicon.ico."""

from django.contrib.auth.decorators import login_required
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
