"""The server error page (handler500): a database outage gets a calm 503 instead."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext
from django.views import defaults

from api.errors import NOT_FOUND

try:  # the driver's own classes: raised raw where Django does not wrap them (closing a cursor)
    from psycopg2 import InterfaceError as DriverInterfaceError
    from psycopg2 import OperationalError as DriverOperationalError
except ImportError:  # pragma: no cover - SQLite-only installation
    DriverInterfaceError = DriverOperationalError = OperationalError

OUTAGE_ERRORS = (OperationalError, InterfaceError, DriverOperationalError, DriverInterfaceError)


def is_database_outage(exc: BaseException | None) -> bool:
    """A lost or refused database connection, whether Django wrapped the driver's error or not
    (psycopg2 raises its own OperationalError when a server-side cursor is closed on a dead
    connection), also when it is the cause or context of the error that reached us."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, OUTAGE_ERRORS):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


def server_error(request):
    """A database outage (PostgreSQL restarting, connection lost) gets a calm 503 "try again
    shortly" page; anything else the 500 page. No traceback, and nothing here touches the
    database: the templates are rendered without request context processors."""
    exc = sys.exc_info()[1]
    outage = is_database_outage(exc)
    template, status = ("503.html", 503) if outage else ("500.html", 500)
    try:
        body = loader.render_to_string(template)
    except Exception:  # the error page must never fail in turn
        body = gettext("The service is unavailable. Please try again shortly.")
    response = HttpResponse(body, status=status)
    if outage:
        response["Retry-After"] = "10"
    return response


def _api_error(request, status: int, message: str, code: str):
    """The API's answers are JSON in one shape (api/errors.py), also where Django answers
    before the API's views do (a bad request refused by a middleware, an unknown URL)."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message, "code": code}, status=status)
    return None


def bad_request(request, exception):
    message = gettext("The request could not be understood.")
    return _api_error(request, 400, message, "bad_request") or defaults.bad_request(request, exception)


def page_not_found(request, exception):
    return _api_error(request, 404, str(NOT_FOUND), "not_found") or defaults.page_not_found(
        request, exception
    )
