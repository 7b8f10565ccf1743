"""Optimistic concurrency, one way for every record with a `version` column."""

from __future__ import annotations

from django.db import models


class Conflict(Exception):
    """Someone else saved the record since the form was opened (its version moved on)."""


def lock_current(instance: models.Model, *, expected_version: int | None) -> models.Model:
    """The row re-read under a lock (SELECT … FOR UPDATE); Conflict if its version is not the
    one the user's form was built from. Call inside the writing transaction. Queries once.

    Of two editors holding the same version, the second waits for the first one's lock and
    then finds the version moved on.
    """
    fresh = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
    if expected_version is not None and fresh.version != expected_version:
        raise Conflict
    return fresh
