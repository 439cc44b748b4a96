"""`language_choices`: Faro's languages named and ordered in the reader's language, worked out once per language."""

from typing import Any

import pytest
from django.utils import translation

from faro.lib import collation


def test_the_languages_are_named_and_ordered_in_the_active_language() -> None:
    with translation.override("es"):
        assert collation.language_choices() == [
            ("es", "español"),
            ("fr", "francés"),
            ("en", "inglés"),
            ("pt", "portugués"),
        ]
    with translation.override("fr"):
        assert [code for code, _name in collation.language_choices()] == ["en", "es", "fr", "pt"]


def test_they_are_worked_out_once_per_language(monkeypatch: pytest.MonkeyPatch) -> None:
    collation._language_choices.cache_clear()
    sorts: list[Any] = []
    real = collation.sorted_by_name

    def counting(*args: Any, **kwargs: Any) -> Any:
        sorts.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(collation, "sorted_by_name", counting)
    with translation.override("pt"):
        first = collation.language_choices()
        first.append(("xx", "changed by a caller"))  # each caller gets its own list
        assert collation.language_choices() == first[:-1]
    with translation.override("en"):
        assert collation.language_choices()[0] == ("en", "English")
    assert len(sorts) == 2  # Portuguese once, English once
