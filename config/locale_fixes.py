"""Messages Django 5.2 and third-party apps show but their zh_Hans catalogues miss (a msgid
changed upstream, or no Chinese at all).

Nothing imports this module: it exists so that makemessages copies the msgids into our
catalogue, whose Chinese then wins (LOCALE_PATHS come first).
"""

from django.utils.translation import gettext_noop, ngettext_lazy

PASSWORD_TOO_SHORT = ngettext_lazy(
    "This password is too short. It must contain at least %d character.",
    "This password is too short. It must contain at least %d characters.",
    12,
)

# Django 5.2's admin: the screen-reader headers of each app's table of models, and a sentence
# whose apostrophes changed upstream.
ADMIN_SCREEN_READER_HEADERS = (
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
)
ADMIN_USER_ADD = gettext_noop("After you’ve created a user, you’ll be able to edit more user options.")
# django-simple-history's history page names a related row that no longer exists.
HISTORY_DELETED_OBJECT = gettext_noop("Deleted %(type_name)s")

# django-axes ships no Chinese: its models, fields and admin (the 登录锁定 section).
AXES = (
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("access attempt expiration"),
    gettext_noop("access attempt expirations"),
    gettext_noop("User Agent"),
    gettext_noop("IP Address"),
    gettext_noop("Username"),
    gettext_noop("HTTP Accept"),
    gettext_noop("Path"),
    gettext_noop("Attempt Time"),
    gettext_noop("Access lock out"),
    gettext_noop("GET Data"),
    gettext_noop("POST Data"),
    gettext_noop("Failed Logins"),
    gettext_noop("Access Attempt"),
    gettext_noop("Expires At"),
    gettext_noop("The time when access attempt expires and is no longer valid."),
    gettext_noop("Logout Time"),
    gettext_noop("Session key hash (sha256)"),
    gettext_noop("Locked Out"),
    gettext_noop("Form Data"),
    gettext_noop("Meta Data"),
    gettext_noop("Clean up expired attempts"),
    gettext_noop("Not set"),
    gettext_noop("Attempt Remaining"),
)

# Django REST framework's catalogue also translates some of Django's own form messages, in
# other words, and an app's catalogue wins over Django's: ours keeps Django's wording.
DJANGO_WORDS_OVER_DRF = (
    gettext_noop("Enter a valid URL."),
    gettext_noop("Enter a valid email address."),
    gettext_noop("No file was submitted."),
    gettext_noop("The submitted file is empty."),
    gettext_noop("This field is required."),
    gettext_noop("Upload a valid image. The file you uploaded was either not an image or a corrupted image."),
    gettext_noop("Value must be valid JSON."),
)
