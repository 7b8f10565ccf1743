"""Project-wide middleware: Chinese by default, idle sessions end, NUL in a query string refused."""

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.exceptions import BadRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import timezone, translation

TOUCHED_KEY = "_touched"


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
            # The session row is rewritten (expiry pushed forward) at most this often.
            if now - session.get(TOUCHED_KEY, 0) >= settings.SESSION_REFRESH_SECONDS:
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


class ChineseByDefaultLocaleMiddleware(LocaleMiddleware):
    """Like Django's LocaleMiddleware, but the browser's Accept-Language is ignored.

    Union offices often run browsers set to English; the app must still open in Chinese.
    Only the cookie written by the language switch (set_language) changes the language.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        supported = {code for code, _name in settings.LANGUAGES}
        translation.activate(chosen if chosen in supported else settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = translation.get_language()
