"""The options of filter selects over records that seldom change, kept per process until a write commits.

The staff lists' filters offer every member state, institution or Plan of Action; reading them, making
their instances and sorting their names in the viewer's language cost more than the page's own rows.
`keep_choices(field, name)` gives the field the options it had the last time, as long as the site
version (`faro.core.pagecache.site_version`, bumped when any audited write commits) and the language
are the same, and for at most `PAGE_CACHE_SECONDS` (0 turns it off, as for every cache of the site
version; so do tests, whose ORM writes are not audited). Only values and labels are kept. The field
still validates a submitted value against its queryset.
"""

import time
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import get_language

from faro.core import pagecache

_KEPT: dict[tuple[Any, ...], tuple[float, list[tuple[str, str]]]] = {}
_MOST = 256  # entries: a few fields × languages × recent versions


def keep_choices(field: forms.Field, name: str) -> None:
    """Give the select `field` the options kept under `name`, reading them from it only when none are kept."""
    seconds = settings.PAGE_CACHE_SECONDS
    version = pagecache.site_version() if seconds else None
    if version is None:  # nothing kept: still read a callable's options once for the request
        if not isinstance(field, forms.ModelChoiceField):
            field.choices = list(field.choices)  # type: ignore[attr-defined]  # a choice field
        return
    key = (name, version, get_language())
    now = time.monotonic()
    found = _KEPT.get(key)
    if found is None or now - found[0] > seconds:
        if len(_KEPT) >= _MOST:
            _KEPT.clear()
        choices = list(field.choices)  # type: ignore[attr-defined]  # a choice field
        if any(isinstance(label, list | tuple) for _value, label in choices):
            return  # option groups are kept as they are
        found = _KEPT[key] = (now, [(str(value), str(label)) for value, label in choices])
    field.choices = list(found[1])  # type: ignore[attr-defined]  # a choice field
