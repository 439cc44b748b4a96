"""The options of filter selects over records that seldom change, kept in the shared cache until a write commits.

The staff lists' filters offer every member state, institution or Plan of Action; reading them, making
their instances and sorting their names in the viewer's language cost more than the page's own rows.
`keep_choices(field, name)` gives the field the options it had the last time, as long as the site
version (`faro.core.pagecache.site_version`, bumped when any audited write commits) and the language
are the same, and for at most `PAGE_CACHE_SECONDS` (0 turns it off, as for every cache of the site
version; so do tests, whose ORM writes are not audited). Only values and labels are kept. The field
still validates a submitted value against its queryset.
"""

import hashlib

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.utils.translation import get_language

from faro.core import pagecache


def keep_choices(field: forms.Field, name: str) -> None:
    """Give the select `field` the options kept under `name`, reading them from it only when none are kept."""
    seconds = settings.PAGE_CACHE_SECONDS
    version = pagecache.site_version() if seconds else None
    if version is None:  # nothing kept: still read a callable's options once for the request
        if not isinstance(field, forms.ModelChoiceField):
            field.choices = list(field.choices)  # type: ignore[attr-defined]  # a choice field
        return
    key = "faro:choices:" + hashlib.sha256(repr([name, version, get_language()]).encode()).hexdigest()
    found = cache.get(key)
    if not isinstance(found, list):
        choices = list(field.choices)  # type: ignore[attr-defined]  # a choice field
        if any(isinstance(label, list | tuple) for _value, label in choices):
            return  # option groups are kept as they are
        found = [(str(value), str(label)) for value, label in choices]
        cache.set(key, found, timeout=seconds)
    field.choices = list(found)  # type: ignore[attr-defined]  # a choice field
