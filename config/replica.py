"""The optional read replica (DATABASE_REPLICA_URL): the report pages read from it.

Reports are the heaviest reads and may be a moment behind the primary (streaming replication
lags by milliseconds); every other page, and every write, uses the primary. Sessions, accounts
and lock-outs are always read from the primary, so a login is never "lost" on a lagging replica.

When the replica is down, the page that met the failure is read again from the primary, and the
primary serves the reports for REPLICA_RETRY_SECONDS before the replica is tried again: the user
sees the report, never an error, while the replica is away.
"""

from __future__ import annotations

import logging
import time
from contextvars import ContextVar

from django.conf import settings
from django.db import DatabaseError, connections
from django.urls import Resolver404, resolve

from config.errors import is_database_outage

log = logging.getLogger(__name__)

REPLICA = "replica"
# Only the practice's own data goes to the replica (not auth, sessions, axes, admin log, history
# of logins): those must be current for the request to be the user's at all.
REPLICA_APPS = frozenset({"unions", "outreach"})
# URL namespaces whose GET pages read from the replica.
REPLICA_NAMESPACES = frozenset({"reports"})

_reading_replica: ContextVar[bool] = ContextVar("reading_replica", default=False)
_down_until = 0.0  # per process: when the replica may be tried again


def replica_available() -> bool:
    return settings.REPLICA_READS and REPLICA in settings.DATABASES and time.monotonic() >= _down_until


def mark_replica_down() -> None:
    global _down_until
    _down_until = time.monotonic() + settings.REPLICA_RETRY_SECONDS
    # Its broken connection is dropped, so the next try opens a fresh one.
    try:
        connections[REPLICA].close()
    except DatabaseError:
        pass
    log.warning(
        "read replica unavailable: reports read from the primary for %ss", settings.REPLICA_RETRY_SECONDS
    )


class ReplicaRouter:
    """Reads of the practice's models go to the replica while a report page is being served."""

    def db_for_read(self, model, **hints):
        if _reading_replica.get() and model._meta.app_label in REPLICA_APPS:
            return REPLICA
        return None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the primary's rows: the same objects

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA  # a streaming replica follows the primary's schema by itself


class ReplicaReadsMiddleware:
    """Serves GET and HEAD report pages from the replica, and again from the primary when the
    replica fails during the page. It calls the view itself, so it is the last middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not self._wants_replica(request):
            return None
        token = _reading_replica.set(True)
        try:
            response = view_func(request, *view_args, **view_kwargs)
            if hasattr(response, "render") and not response.is_rendered:
                response.render()  # a template response reads while it renders
            return response
        except DatabaseError as error:
            if not is_database_outage(error):
                raise
            mark_replica_down()
        finally:
            _reading_replica.reset(token)
        return None  # the view again, as usual: on the primary

    @staticmethod
    def _wants_replica(request) -> bool:
        if request.method not in ("GET", "HEAD") or not replica_available():
            return False
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
        return bool(REPLICA_NAMESPACES & set(match.namespaces))
