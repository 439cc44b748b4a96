"""Base serializers shared by every app's api.py."""

import re
from typing import Any, TypeVar

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from faro.core.fields import Translated
from faro.directory.models import Institution

S = TypeVar("S", bound=serializers.Serializer[Any])
_SURROGATE = re.compile("[\ud800-\udfff]")


class StrictSerializer(serializers.Serializer[dict[str, Any]]):
    """Refuses unknown fields instead of ignoring them, naming each one."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError({name: [_("Unknown field.")] for name in unknown})
        return super().to_internal_value(data)


@extend_schema_field(
    {
        "type": "object",
        "additionalProperties": {"type": "string"},
        "description": "Text by language code: en, es, pt, fr.",
    }
)
class TranslatedTextField(serializers.Field[Any, Any, Any, Any]):
    """A multilingual text as {"en": …, "es": …, "pt": …, "fr": …}."""

    def to_representation(self, value: Translated) -> dict[str, str]:
        return {str(code): str(text) for code, text in dict(value).items()}

    def to_internal_value(self, data: Any) -> dict[str, str]:
        if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
            raise serializers.ValidationError(_("Give an object of language codes to texts."))
        return data


class TextField(serializers.CharField):
    """A CharField that also refuses lone surrogates, which no database can store."""

    def to_internal_value(self, data: Any) -> str:
        value = super().to_internal_value(data)
        if _SURROGATE.search(value):
            raise serializers.ValidationError(_("The text contains characters that are not valid Unicode."))
        return value


def clean_params(request: Any) -> dict[str, str]:
    """Query parameters without NUL characters, which databases refuse in text."""
    return {key: value.replace("\x00", "") for key, value in request.query_params.items()}


def query_params(request: Any, serializer_class: type[S]) -> dict[str, Any]:
    """The request's query parameters checked by `serializer_class`; 400 naming each bad one.

    Pagination parameters (`page`, `page_size`) are left to the paginator. Use the same class in
    `@extend_schema(parameters=[serializer_class])` so the schema documents what is checked.
    """
    data = {k: v for k, v in request.query_params.items() if k not in {"page", "page_size", "format"}}
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return {k: v for k, v in serializer.validated_data.items() if v is not None}


class InstitutionRefSerializer(serializers.Serializer[Institution]):
    """An institution as other objects mention it."""

    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    acronym = serializers.CharField(read_only=True)


def absolute_url(request: Any, path: str) -> str:
    """A full URL to a page of the site (`request` may be None when serialising outside a view)."""
    return request.build_absolute_uri(path) if request is not None else path


class IdField(serializers.IntegerField):
    """An object's id in a filter: a positive whole number that fits the database's integers."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(**kwargs)
