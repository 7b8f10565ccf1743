"""The home page: what each role sees first after logging in."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

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
    return render(request, template, {"cadre": cadre})
