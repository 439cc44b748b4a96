"""One multilingual field for everything staff type: titles, descriptions, call texts.

The value is stored as a JSON object keyed by language code ({"en": "…", "es": "…"}).
Reading it gives a `Translated`, whose str() is the active language with fallback to
English and then to any language that has text, so templates just write {{ course.title }}.
"""

from collections.abc import Sequence
from typing import Any

from django import forms
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


class Translated(dict[str, Any]):
    """Text in several languages; str() gives the viewer's language or a fallback."""

    def __str__(self) -> str:
        return self.in_language(get_language())

    def in_language(self, language: str | None) -> str:
        shown = self.language_shown(language)
        return str(self[shown]) if shown else ""

    def language_shown(self, language: str | None) -> str:
        """The language `in_language(language)` actually shows (its own or a fallback); "" if none."""
        wanted = (language or settings.LANGUAGE_CODE).split("-")[0]
        for code in [wanted, settings.LANGUAGE_CODE, *language_codes()]:
            if self.get(code):
                return code
        return ""

    def missing_languages(self) -> list[str]:
        return [code for code in language_codes() if not self.get(code)]

    def __bool__(self) -> bool:
        return any(self.values())


class UnicodeJSONEncoder(DjangoJSONEncoder):
    """Keep accents readable in the stored JSON so text search works on SQLite too."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["ensure_ascii"] = False
        super().__init__(*args, **kwargs)


def as_translated(value: Any) -> Translated:
    if isinstance(value, Translated):
        return value
    if isinstance(value, dict):
        return Translated({k: v for k, v in value.items() if v})
    if value in (None, ""):
        return Translated()
    return Translated({settings.LANGUAGE_CODE: str(value)})


class TranslatedWidget(forms.MultiWidget):
    template_name = "core/widgets/translated.html"

    def __init__(self, multiline: bool = False, attrs: dict[str, Any] | None = None) -> None:
        widget = forms.Textarea(attrs={"rows": 4}) if multiline else forms.TextInput()
        super().__init__([widget] * len(language_codes()), attrs)

    def decompress(self, value: Any) -> list[str]:
        value = as_translated(value)
        return [value.get(code, "") for code in language_codes()]

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        names = dict(settings.LANGUAGES)
        for code, sub in zip(language_codes(), context["widget"]["subwidgets"], strict=True):
            sub["language_code"] = code
            sub["language_name"] = names[code]
        return context


class TranslatedFormField(forms.MultiValueField):
    """Four inputs, one per language. Required means: at least one language filled in."""

    widget = TranslatedWidget
    default_error_messages = {"required": _("Fill this in at least one language.")}

    def __init__(self, *, multiline: bool = False, max_length: int | None = None, **kwargs: Any) -> None:
        fields = [forms.CharField(required=False, max_length=max_length) for _code in language_codes()]
        kwargs.setdefault("widget", TranslatedWidget(multiline=multiline))
        super().__init__(fields, require_all_fields=False, **kwargs)

    def compress(self, data_list: list[str]) -> Translated:
        values = dict(zip(language_codes(), data_list or [], strict=False))
        return as_translated({code: text.strip() for code, text in values.items() if text and text.strip()})

    def validate(self, value: Translated) -> None:
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")


class TranslatedField(models.JSONField):
    """A model field holding one text in each of Faro's languages."""

    def __init__(self, *args: Any, multiline: bool = False, max_length: int | None = None, **kwargs: Any) -> None:
        self.multiline = multiline
        self.text_max_length = max_length
        kwargs.setdefault("default", dict)
        kwargs.setdefault("encoder", UnicodeJSONEncoder)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> tuple[str, str, Sequence[Any], dict[str, Any]]:
        name, path, args, kwargs = super().deconstruct()
        if self.multiline:
            kwargs["multiline"] = True
        if self.text_max_length:
            kwargs["max_length"] = self.text_max_length
        kwargs.pop("encoder", None)
        return name, path, args, kwargs

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Translated:
        return as_translated(super().from_db_value(value, expression, connection))

    def to_python(self, value: Any) -> Translated:
        return as_translated(super().to_python(value))

    def get_db_prep_save(self, value: Any, connection: Any) -> Any:
        # A plain string saved into the field becomes English text. Only on save: in lookups
        # such as title__en="…" the string is the value to compare, not a whole field value.
        if isinstance(value, str):
            value = as_translated(value)
        return super().get_db_prep_save(dict(value) if isinstance(value, dict) else value, connection)

    def formfield(self, **kwargs: Any) -> forms.Field:
        return TranslatedFormField(
            multiline=self.multiline,
            max_length=self.text_max_length,
            required=not self.blank,
            label=self.verbose_name,
            help_text=self.help_text,
            **{k: v for k, v in kwargs.items() if k in {"label", "help_text", "required", "initial"}},
        )
