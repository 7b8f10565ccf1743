"""Every API error has one JSON shape: {"detail": message, "code": code, "errors": {field: [..]}}
("errors" for invalid input only), in the user's language (Chinese by default)."""

from __future__ import annotations

from django.utils.translation import gettext, gettext_lazy
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler

NOT_FOUND = gettext_lazy("Not found: it does not exist or is outside your area.")


def _errors(data) -> dict:
    if isinstance(data, dict):
        return data
    return {"non_field_errors": data if isinstance(data, list) else [data]}


def exception_handler(exc, context):
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a server error: Django's handler (and its log) takes it
    if isinstance(exc, exceptions.ValidationError):
        response.data = {
            "detail": gettext("Please correct the errors below; nothing was saved."),
            "code": "invalid",
            "errors": _errors(response.data),
        }
        return response
    detail = getattr(exc, "detail", None)
    code = getattr(detail, "code", None) or getattr(exc, "default_code", "error")
    message = str(detail) if detail is not None else gettext("Not found.")
    if response.status_code == 404:
        message, code = str(NOT_FOUND), "not_found"
    response.data = {"detail": message, "code": code}
    return response
