"""One error body for every 4xx: {"error": {"status", "code", "message", "fields"}}."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler


def _flatten(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """Field errors as {"name": [messages]}; nested ones get dotted paths ("results.2.email")."""
    if isinstance(detail, dict):
        items: Any = detail.items()
    elif isinstance(detail, list) and prefix and any(isinstance(item, dict | list) for item in detail):
        items = enumerate(detail)
    else:
        return {prefix: [str(m) for m in (detail if isinstance(detail, list) else [detail])]} if prefix else {}
    fields: dict[str, list[str]] = {}
    for key, value in items:
        if value in ({}, []):
            continue  # a list item without errors
        own = prefix and key == api_settings.NON_FIELD_ERRORS_KEY  # a list's or object's own error
        fields.update(_flatten(value, prefix if own else f"{prefix}.{key}" if prefix else str(key)))
    return fields


def handle_exception(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Not found."))
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        return None
    detail = exc.detail if isinstance(exc, exceptions.APIException) else None
    fields = _flatten(detail)
    if isinstance(exc, exceptions.ValidationError):
        message = _("The request has invalid fields.") if fields else " ".join(map(str, detail or []))
    else:
        message = str(detail) if detail else response.status_text
    code = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
    response.data = {
        "error": {
            "status": response.status_code,
            "code": code if isinstance(code, str) else "invalid",
            "message": message,
            "fields": fields,
        }
    }
    return response
