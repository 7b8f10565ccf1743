"""One rule, two doors: the API's writes go through the record form (VisitEntry), the problem
forms and the services the pages use. JSON is turned into the form data a browser would post,
and the forms' errors come back as JSON, in the same words."""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import QueryDict
from rest_framework.exceptions import ValidationError

from outreach.forms.visits import DirectoryCheckForm, VisitEntry
from outreach.models import Visit
from unions.models import Cadre

CONCERN_FIELDS = ("category", "description", "workers_affected", "worker_name", "worker_phone")


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def visit_form_data(data: dict) -> QueryDict:
    """The record form's POST for a validated VisitWriteSerializer payload."""
    post = QueryDict(mutable=True)
    post["action"] = data.get("action") or "submit"
    post["kind"] = data["kind"]
    post["date"] = data["date"].isoformat()
    post["host_union"] = _text(data.get("host_union"))
    post["host_enterprise"] = _text(data.get("host_enterprise"))
    post["version"] = _text(data.get("version"))
    post.setlist("companions", [str(pk) for pk in data.get("companions", [])])
    post.setlist("topics", list(data.get("topics", [])))
    for name in Visit.TEXT_FIELDS:
        post[name] = data.get(name, "")
    directory = data.get("directory")
    if directory is not None:
        post["dir-confirm"] = "on"
        for name in DirectoryCheckForm.FACTS:
            post[f"dir-{name}"] = _text(directory.get(name))
    concerns = data.get("concerns", [])
    post["concerns-TOTAL_FORMS"] = str(len(concerns))
    post["concerns-INITIAL_FORMS"] = "0"
    for n, concern in enumerate(concerns):
        for name in CONCERN_FIELDS:
            post[f"concerns-{n}-{name}"] = _text(concern.get(name))
        if concern.get("answered_on_site"):
            post[f"concerns-{n}-answered_on_site"] = "on"
    return post


def _messages(errors) -> dict:
    return {
        ("non_field_errors" if name == NON_FIELD_ERRORS else name): [str(m) for m in messages]
        for name, messages in errors.items()
    }


def entry_errors(entry: VisitEntry) -> dict:
    errors = _messages(entry.form.errors)
    errors.pop("photos", None)  # never posted here: photos have their own endpoint
    if entry.directory.errors:
        errors["directory"] = _messages(entry.directory.errors)
    concern_errors = entry.concerns.errors if entry.concerns.is_bound else []
    if any(concern_errors):
        errors["concerns"] = [_messages(e) for e in concern_errors]
    if entry.concerns.non_form_errors():
        errors.setdefault("non_field_errors", []).extend(str(m) for m in entry.concerns.non_form_errors())
    return errors


def visit_entry(*, cadre: Cadre, visit: Visit | None, data: dict) -> VisitEntry:
    """The record form bound to the payload and checked; ValidationError (400) when it refuses."""
    entry = VisitEntry(cadre=cadre, visit=visit, data=visit_form_data(data), files=QueryDict())
    if not entry.is_valid():
        raise ValidationError(entry_errors(entry))
    return entry


def model_errors(error: DjangoValidationError) -> ValidationError:
    """A model's or a service's refusal (full_clean, a workflow rule) as a 400."""
    if hasattr(error, "error_dict"):
        return ValidationError(_messages(error.message_dict))
    return ValidationError({"non_field_errors": [str(m) for m in error.messages]})


def form_errors(form) -> ValidationError:
    return ValidationError(_messages(form.errors))
