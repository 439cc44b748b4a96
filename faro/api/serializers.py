"""Base serializers shared by every app's api.py."""

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers

from faro.core.fields import Translated


class StrictSerializer(serializers.Serializer):
    """Refuses unknown fields instead of ignoring them, naming each one."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError({name: [_("Unknown field.")] for name in unknown})
        return super().to_internal_value(data)


class TranslatedTextField(serializers.Field):
    """A multilingual text as {"en": …, "es": …, "pt": …, "fr": …}."""

    def to_representation(self, value: Translated) -> dict[str, str]:
        return dict(value)

    def to_internal_value(self, data: Any) -> dict[str, str]:
        if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
            raise serializers.ValidationError(_("Give an object of language codes to texts."))
        return data


def clean_params(request: Any) -> dict[str, str]:
    """Query parameters without NUL characters, which databases refuse in text."""
    return {key: value.replace("\x00", "") for key, value in request.query_params.items()}
