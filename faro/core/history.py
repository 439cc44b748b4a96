"""Audit entries as a person reads them: field labels and values as the forms show them.

An entry stores raw values (`{"status": ["review", "allocation"], "created_by_id": [None, 1]}`);
`readable_changes(entry)` turns them into the field's verbose name and display values in the
active language: choice labels for statuses, names instead of ids (foreign keys resolved),
multilingual values in the viewer's language, dates in the viewer's locale and zone, yes/no,
lists and dicts spelled out — never a Python dump.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone, translation
from django.utils.formats import date_format, number_format
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from faro.core.models import AuditEntry

EMPTY = "—"

# Labels for fields whose model gives no translated name (Django would make one up in English
# from the attribute: "created by"); a field with a translated verbose name uses that.
FIELD_LABELS: dict[str, Any] = {
    "content_type": gettext_lazy("Kind of record"),
    "created_by": gettext_lazy("Created by"),
    "digest": gettext_lazy("Token fingerprint"),
    "endorsed_by": gettext_lazy("Endorsed by"),
    "issued_by": gettext_lazy("Issued by"),
    "job": gettext_lazy("Background job"),
    "key": gettext_lazy("Key"),
    "object_id": gettext_lazy("Record number"),
    "overridden_by": gettext_lazy("Overridden by"),
    "sha256": gettext_lazy("File fingerprint"),
    "source_id": gettext_lazy("Source record"),
    "source_type": gettext_lazy("Kind of source"),
    "subscription": gettext_lazy("Subscription"),
    "token_digest": gettext_lazy("Token fingerprint"),
    "user": gettext_lazy("User"),
}


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str


def _field(model: type[models.Model] | None, name: str) -> models.Field[Any, Any] | None:
    if model is None:
        return None
    for candidate in (name, name.removesuffix("_id")):
        try:
            found = model._meta.get_field(candidate)
        except FieldDoesNotExist:
            continue
        return found if isinstance(found, models.Field) else None
    return None


def _languages() -> set[str]:
    return {code for code, _name in settings.LANGUAGES}


def _in_language(value: dict[str, Any]) -> str:
    """A multilingual value in the viewer's language, else English, else any language."""
    language = (translation.get_language() or "en")[:2]
    for code in (language, "en", *value):
        if value.get(code):
            return str(value[code])
    return EMPTY


def _moment(text: str) -> str:
    try:
        moment = datetime.datetime.fromisoformat(text)
    except ValueError:
        return text
    if "T" not in text and len(text) <= 10:
        return date_format(moment.date(), "DATE_FORMAT")
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return date_format(moment, "DATETIME_FORMAT")


def _related(field: models.Field[Any, Any], value: Any) -> str:
    target = field.related_model
    if target is None or isinstance(target, str):
        return str(value)
    found = target._default_manager.filter(pk=value).first()
    return str(found) if found is not None else _("#%(id)s (deleted)") % {"id": value}


def display(field: models.Field[Any, Any] | None, value: Any) -> str:
    """One stored value as the forms would show it."""
    if value is None or value == "" or value == [] or value == {}:
        return EMPTY
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field is not None and field.is_relation and not isinstance(value, list | dict):
        return _related(field, value)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, int | float):
        return number_format(value)
    if isinstance(value, dict):
        if set(value) <= _languages():
            return _in_language(value)
        return "; ".join(f"{capfirst(str(k).replace('_', ' '))}: {display(None, v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(display(None, item) for item in value)
    text = str(value)
    return _moment(text) if text[:4].isdigit() and text[4:5] == "-" else text


def field_label(field: models.Field[Any, Any] | None, name: str) -> str:
    """A changed field's label in the active language: its translated verbose name, else ours."""
    attribute = field.name if field is not None else name.removesuffix("_id")
    if field is not None and isinstance(field.verbose_name, Promise):
        return capfirst(str(field.verbose_name))
    if attribute in FIELD_LABELS:
        return capfirst(str(FIELD_LABELS[attribute]))
    return capfirst(name.replace("_", " "))


def readable_changes(entry: AuditEntry) -> list[Change]:
    """The entry's changed fields, labelled and valued in the active language."""
    model = entry.content_type.model_class()
    changes = []
    for name, values in (entry.changes or {}).items():
        before, after = [*values, None, None][:2] if isinstance(values, list) else [None, values]
        field = _field(model, name)
        changes.append(Change(field_label(field, name), display(field, before), display(field, after)))
    return changes
