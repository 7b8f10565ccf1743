"""Idle sessions end: a logged-in user who does nothing for SESSION_IDLE_TIMEOUT minutes is logged out.
And a query string with a NUL character is refused before any view passes it to PostgreSQL."""

from django.contrib.auth import SESSION_KEY
from django.core.exceptions import BadRequest
from django.utils import timezone

TOUCHED_KEY = "_touched"
# The session row is rewritten (expiry pushed forward) at most this often, not on every request.
REFRESH_SECONDS = 60


def touch(session) -> None:
    session[TOUCHED_KEY] = int(timezone.now().timestamp())


class IdleSessionTimeoutMiddleware:
    """Keeps an active user's session alive; an idle one expires after SESSION_COOKIE_AGE.

    The database session backend refuses an expired row, so an idle user's next request is
    anonymous and login_required sends him or her to the login page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        if SESSION_KEY in session:
            now = int(timezone.now().timestamp())
            if now - session.get(TOUCHED_KEY, 0) >= REFRESH_SECONDS:
                touch(session)  # modified → saved with a fresh expiry date and cookie
        return self.get_response(request)


class RejectNullCharactersMiddleware:
    """400 for a NUL character in the query string (?q=%00).

    PostgreSQL cannot take NUL in text, so a search view filtering on it would answer 500.
    Form fields already refuse NUL (Django's ProhibitNullCharactersValidator); raw GET
    parameters, as search boxes use them, are checked here once for every view.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for key, values in request.GET.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                raise BadRequest("NUL character in the query string")
        return self.get_response(request)
