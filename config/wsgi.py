import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

application = get_wsgi_application()

from django.conf import settings  # noqa: E402 - configured by get_wsgi_application()

# Fail at start-up, not on the first request: production needs its own secret key (Django
# raises on reading an empty one).
try:
    settings.SECRET_KEY  # noqa: B018
except ImproperlyConfigured as error:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.") from error
