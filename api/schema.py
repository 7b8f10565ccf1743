"""The OpenAPI schema says how to authenticate, what errors look like and which statuses each
operation may answer."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension

from lib.ids import MAX_ID


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.ApiTokenAuthentication"
    name = "systemToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A system's token, issued by an administrator (Authorization: Bearer <key>).",
        }


ERROR = {
    "type": "object",
    "properties": {
        "detail": {"type": "string"},
        "code": {"type": "string"},
        "errors": {"type": "object", "additionalProperties": True},
    },
    "required": ["detail", "code"],
}
STATUSES = {
    "400": "Invalid input (the form's rules, in Chinese)",
    "401": "No or an invalid token / session",
    "403": "Not allowed",
    "404": "Not found, or outside the caller's area",
    "429": "Rate limit reached",
}
WRITE_STATUSES = {"409": "Conflict: someone else saved the record, or the client id is taken"}


def add_error_responses(result, generator, request, public):
    """Hook (SPECTACULAR_SETTINGS): the error responses of every operation, and ids as the
    database's positive 64-bit keys (anything else is not a URL of ours)."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR
    ref = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            statuses = dict(STATUSES)
            if method in ("post", "put", "patch"):
                statuses |= WRITE_STATUSES
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "path" and parameter["schema"].get("type") == "integer":
                    parameter["schema"].update(minimum=1, maximum=MAX_ID)
            for status, text in statuses.items():
                operation["responses"].setdefault(status, {"description": text, **ref})
    return result
