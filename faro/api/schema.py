"""OpenAPI post-processing: every operation documents the shared error body and its 4xx codes."""

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["status", "code", "message", "fields"],
            "properties": {
                "status": {"type": "integer"},
                "code": {"type": "string"},
                "message": {"type": "string"},
                "fields": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
            },
        }
    },
}
ERROR_RESPONSES = {
    "400": "The request has invalid parameters or fields; `fields` names each one.",
    "401": "Missing, invalid, expired or revoked token.",
    "403": "The token's scope or the user's role does not allow this.",
    "404": "Not found, or not visible to the caller.",
    "429": "Too many requests for this token; retry later.",
}


def add_error_responses(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    body = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for code, description in ERROR_RESPONSES.items():
                operation["responses"].setdefault(code, {"description": description, "content": body})
    return result


class TokenAuthenticationScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]  # drf-spectacular's registry hook is untyped
    """Documents `faro.api.authentication.TokenAuthentication` as HTTP bearer auth."""

    target_class = "faro.api.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "http", "scheme": "bearer", "description": "A personal API token: `faro_…`."}
