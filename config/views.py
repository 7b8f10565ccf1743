"""The home page: what each role sees first after logging in; the server error page."""

import sys

from django.contrib.auth.decorators import login_required
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext

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


def server_error(request):
    """handler500. A database outage (PostgreSQL restarting, connection lost) gets a calm 503
    "try again shortly" page; anything else the 500 page. No traceback, and nothing here
    touches the database: the templates are rendered without request context processors."""
    exc = sys.exc_info()[1]
    outage = isinstance(exc, OperationalError | InterfaceError)
    template, status = ("503.html", 503) if outage else ("500.html", 500)
    try:
        body = loader.render_to_string(template)
    except Exception:  # the error page must never fail in turn
        body = gettext("The service is unavailable. Please try again shortly.")
    response = HttpResponse(body, status=status)
    if outage:
        response["Retry-After"] = "10"
    return response
