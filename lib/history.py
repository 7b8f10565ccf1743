"""Readable history (django-simple-history): who changed which field from what to what, and when.

The record pages (visits, problems) show their history the same way. Related rows are named
with one query per foreign key, whatever the length of the history.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from django.utils.translation import gettext as _


def history_entries(
    records: Iterable, model, fields: Sequence[str], shown: dict[str, Callable] | None = None
) -> list[dict]:
    """The history records of one object, newest first, each with its changes.

    `fields` are the model's fields worth showing; `shown` may map a field name to a function
    that turns a stored value into text (choices and foreign keys are handled already).
    Records must come with `history_user__cadre` selected (the author's name).
    """
    records = list(records)
    names = _related_names(records, model, fields)
    shown = shown or {}

    def text(record, name):
        field = model._meta.get_field(name)
        if name in names:
            return names[name].get(getattr(record, field.attname), "")
        value = getattr(record, name)
        if name in shown:
            return shown[name](value)
        if field.choices:
            return dict(field.flatchoices).get(value, value)
        if isinstance(value, bool):
            return _("yes") if value else _("no")
        return "" if value is None else value

    entries, previous = [], None
    for record in records:
        changes = []
        if previous is not None:
            for name in fields:
                before, after = text(previous, name), text(record, name)
                if before != after:
                    label = model._meta.get_field(name).verbose_name
                    changes.append({"field": label, "before": before, "after": after})
        entries.append(
            {
                "when": record.history_date,
                "who": _author(record.history_user),
                "created": previous is None,
                "reason": record.history_change_reason or "",
                "changes": changes,
                "record": record,
            }
        )
        previous = record
    entries.reverse()
    return entries


def _author(user) -> str:
    if user is None:
        return _("system")
    cadre = getattr(user, "cadre", None)
    return cadre.name if cadre else user.get_username()


def _related_names(records: list, model, fields: Sequence[str]) -> dict[str, dict]:
    """{foreign key name: {id: str(row)}}, one query per foreign key."""
    names = {}
    for name in fields:
        field = model._meta.get_field(name)
        if not field.many_to_one:
            continue
        ids = {getattr(r, field.attname) for r in records} - {None}
        rows = field.related_model._default_manager.filter(pk__in=ids)
        names[name] = {row.pk: str(row) for row in rows}
    return names
