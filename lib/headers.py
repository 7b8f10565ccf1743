"""Response headers every page gets (Django and django-csp set the others).

- Permissions-Policy: no page may use the camera, microphone, location and the like (none does;
  a photo is picked with a plain file input, which needs none of them).
- Cross-Origin-Resource-Policy: no other site may embed our responses, the photos included.
- Cache-Control: no-store on every response to a logged-in user (pages and exports hold personal
  data; a shared phone's browser must not keep them), unless the view chose its own caching.
"""

from django.conf import settings

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "serial",
        "usb",
    )
)


class SecurityHeadersMiddleware:
    """Sits right after SecurityMiddleware, before whitenoise: static files get the first two
    headers too, and never no-store (whitenoise answers them before the user is known)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and "Cache-Control" not in response.headers
            and not request.path.startswith(settings.STATIC_URL)
        ):
            response.headers["Cache-Control"] = "no-store"
        return response
