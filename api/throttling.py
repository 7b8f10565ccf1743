"""Rate limits per token and per logged-in user (REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"])."""

from rest_framework.throttling import SimpleRateThrottle

from .access import is_token


class ClientRateThrottle(SimpleRateThrottle):
    scope = "session"

    def allow_request(self, request, view) -> bool:
        # The rate depends on who calls, known only now (SimpleRateThrottle reads it at init).
        self.scope = "token" if is_token(request) else "session"
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view) -> str | None:
        ident = request.auth.pk if is_token(request) else request.user.pk
        if ident is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": ident}
