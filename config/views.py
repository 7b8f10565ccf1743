"""The home page: what each role sees first after logging in."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

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
        # A cadre's home is his or her month: the three days, the weekly days, the plans.
        today = timezone.localdate()
        context = my_month_context(cadre, today.year, today.month)
        return render(request, "home/cadre.html", {"cadre": cadre, **context})
    return render(request, template, {"cadre": cadre})
