"""The monthly report's rendered sections, cached per (unit, month, language), never stale.

Building a district's report reads most of a month's visits and problems; between two writes
it gives the same HTML to every leader who opens it. The rendered sections are kept in Django's
cache (shared by gunicorn's workers) under a key that holds a **data version**: a random token
that every write replaces, so that a report cached before a write is never served after it.

Who replaces the token (one place, here):
- `WriteInvalidatesReportsMiddleware`: after every request with an unsafe method (POST, PUT,
  PATCH, DELETE) — the pages, the API and the Django admin (the ledger import's bulk writes
  included), once the view's transaction has committed;
- the `post_save`, `post_delete` and `m2m_changed` signals of every model of the apps the report
  reads (`unions`, `outreach`, `reports`, the logins): writes outside a request (management
  commands, the shell). They replace the token at once and again once the transaction commits,
  so that a report rendered meanwhile from the data before the commit is not kept either.

The key also holds the day (overdue counts move at midnight), the language, the template and
the links' base filter. A lost token (the cache culled it) is a new random one: nothing
cached before matches it.
"""

from __future__ import annotations

import datetime
import uuid

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, router, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone, translation

VERSION_KEY = "reports:data-version"
TIMEOUT = 60 * 60  # a cached report lives an hour at most, whatever happens
# Apps whose rows a report reads (directory, visits, problems, rules, quotas, logins).
WATCHED_APPS = {"unions", "outreach", "reports", "auth"}
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def data_version() -> str:
    """The current token; a new one when the cache has none (first use, or culled)."""
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(VERSION_KEY) or uuid.uuid4().hex
    return version


def invalidate() -> None:
    """Every cached report is out of date: replace the token (never reused)."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def section_key(template: str, unit_id: int, month: datetime.date, base_town, today=None) -> str:
    today = today or timezone.localdate()
    language = translation.get_language() or ""
    parts = [template, unit_id, f"{month:%Y-%m}", language, today.isoformat(), base_town, data_version()]
    return "reports:sections:" + ":".join(str(p) for p in parts)


def cached_html(key: str, render) -> tuple[str, bool]:
    """The HTML cached under `key`, or `render()` (then cached). Returns (html, was_cached).

    Only what the primary database gave is kept: a read replica (config/replica.py) may be a
    moment behind a write that already replaced the version, and its report would then stay."""
    from outreach.models import Visit

    from_primary = router.db_for_read(Visit) == DEFAULT_DB_ALIAS
    html = cache.get(key) if from_primary else None
    if html is not None:
        return html, True
    html = render()
    if from_primary:
        cache.set(key, html, TIMEOUT)
    return html, False


class WriteInvalidatesReportsMiddleware:
    """After a request that may have written (an unsafe method), cached reports are stale."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method in UNSAFE_METHODS:
            invalidate()
        return response


def _on_write(sender, **kwargs) -> None:
    if sender._meta.app_label not in WATCHED_APPS:
        return
    invalidate()
    transaction.on_commit(invalidate)


def connect_signals() -> None:
    """Called once from ReportsConfig.ready()."""
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_on_write, dispatch_uid="reports.cache.invalidate")
