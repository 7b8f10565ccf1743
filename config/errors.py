"""The server error page (handler500): a database outage gets a calm 503 instead."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.utils.translation import gettext


def server_error(request):
    """A database outage (PostgreSQL restarting, connection lost) gets a calm 503 "try again
    shortly" page; anything else the 500 page. No traceback, and nothing here touches the
    database: the templates are rendered without request context processors."""
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
