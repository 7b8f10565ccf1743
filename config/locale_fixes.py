"""Messages Django 5.2 shows but its own zh_Hans catalogue misses (a msgid changed upstream).

Nothing imports this module: it exists so that makemessages copies the msgids into our
catalogue, whose Chinese then wins (LOCALE_PATHS come first).
"""

from django.utils.translation import ngettext_lazy

PASSWORD_TOO_SHORT = ngettext_lazy(
    "This password is too short. It must contain at least %d character.",
    "This password is too short. It must contain at least %d characters.",
    12,
)
