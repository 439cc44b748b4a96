"""Mark text shown in a fallback language: `<h1{{ webinar.title|lang_attr }}>{{ webinar.title }}</h1>
{% fallback_note webinar.title %}` gives `lang="en"` and a small "(in English)" when the viewer's
language has no text, and nothing otherwise."""

from typing import Any

from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from faro.core.fields import as_translated

register = template.Library()


def _fallback(value: Any) -> str:
    """The language shown instead of the viewer's, or "" when the viewer's own is shown."""
    if not isinstance(value, dict) or not value:
        return ""
    viewer = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    shown = as_translated(value).language_shown(viewer)
    return shown if shown and shown != viewer else ""


@register.filter
def lang_attr(value: Any) -> SafeString:
    shown = _fallback(value)
    return format_html(' lang="{}"', shown) if shown else mark_safe("")


@register.simple_tag
def fallback_note(value: Any) -> SafeString:
    shown = _fallback(value)
    if not shown:
        return mark_safe("")
    name = _(str(dict(settings.LANGUAGES)[shown]))
    return format_html('<small class="fallback-note">{}</small>', _("(in %(language)s)") % {"language": name})


@register.filter
def lang_span(value: Any) -> SafeString:
    """The text, wrapped in `<span lang="en">` with its "(in English)" note when shown in a fallback
    language: for a title inside a translated sentence (`{% blocktranslate with title=x|lang_span %}`)."""
    shown = _fallback(value)
    if not shown:
        return format_html("{}", str(value))
    return format_html('<span lang="{}">{}</span> {}', shown, str(value), fallback_note(value))
