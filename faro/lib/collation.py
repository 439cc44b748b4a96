"""Sort names as a reader of a language files them, without ICU.

PyICU is not installed and `pyuca` only knows the root collation (no Spanish ñ, no "St." filed as
"Saint"), so Faro keeps a small rule set of its own on top of `unicodedata`:

- primary level: letters without accents or case; punctuation, apostrophes and hyphens are spaces
  ("Côte d'Ivoire" ≈ "cote d ivoire", "Saint-Vincent" ≈ "saint vincent");
- abbreviations filed as their full word ("St. Kitts & Nevis" as "saint kitts and nevis");
- Spanish: ñ is its own letter after n ("Peña" after "Penna");
- ties broken by accents, then case (lower case first), so the order is total and stable.
"""

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

from django.conf import settings
from django.forms.models import ModelChoiceField, ModelChoiceIterator, ModelMultipleChoiceField
from django.utils.translation import get_language

from faro.lib.text import fold

T = TypeVar("T")

# Whole words (after folding) filed as another word, per language ("" = every language).
_ABBREVIATIONS: dict[str, dict[str, str]] = {
    "": {"&": "and"},
    "en": {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort"},
    "es": {"&": "y", "sta": "santa", "sto": "santo", "sn": "san"},
    "pt": {"&": "e", "sta": "santa", "sto": "santo"},
    "fr": {"&": "et", "st": "saint", "ste": "sainte"},
}
_AFTER_Z = "\u007f"  # sorts after every letter at the primary level
_SEPARATORS = re.compile(r"[\s\-‐‑–—'’ʼ`´.,;:()/]+")


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _primary(text: str, language: str) -> str:
    text = text.casefold()
    if language == "es":
        text = text.replace("ñ", "n" + _AFTER_Z)
    text = _strip_accents(text).replace("&", " & ")
    words = [w for w in _SEPARATORS.split(text) if w]
    table = {**_ABBREVIATIONS[""], **_ABBREVIATIONS.get(language, {})}
    return " ".join(table.get(word, word) for word in words)


def collation_key(text: str, language: str | None = None) -> tuple[str, str, str]:
    """A sort key for `text` in `language` (default: the active language)."""
    return _collation_key(text or "", (language or get_language() or "en").split("-")[0].lower())


@functools.lru_cache(maxsize=8192)  # the same names (member states, institutions) are sorted on every page
def _collation_key(text: str, language: str) -> tuple[str, str, str]:
    text = unicodedata.normalize("NFC", text)
    return (_primary(text, language), unicodedata.normalize("NFD", text.casefold()), text.swapcase())


# Languages whose filing order of people's names differs from the others' (Spanish files ñ after n).
FILING_LANGUAGES = ("es",)


def filing_key(parts: Iterable[str], language: str = "") -> str:
    """A key that, compared byte by byte (the database's "C"/BINARY collation), files names as
    `collation_key` does: `parts` (last name, then first name) at the primary level, then accents
    and case. Stored beside the name so that a database can sort and page a directory itself."""
    texts = [unicodedata.normalize("NFC", part or "") for part in parts]
    primary = "\x01".join(_primary(text, language) for text in texts)
    secondary = "\x01".join(unicodedata.normalize("NFD", text.casefold()) for text in texts)
    return f"{primary}\x02{secondary}"


def search_form(text: str) -> str:
    """`text` as a search compares it: folded, without apostrophes, hyphens or spaces ("D'Ávila" → "davila")."""
    return "".join(character for character in fold(text) if character.isalnum() or character in "@.")


def sorted_by_name(items: Iterable[T], name: Callable[[T], str] = str, language: str | None = None) -> list[T]:
    """`items` in collation order of `name(item)` in `language` (default: the active language)."""
    return sorted(items, key=lambda item: collation_key(name(item), language))


def language_choices() -> list[tuple[str, str]]:
    """Faro's languages as `(code, name)` in the active language's collation order of their names.
    Pass the function itself as a form field's `choices`, so the order follows each request's language."""
    return list(_language_choices(get_language() or settings.LANGUAGE_CODE))


@functools.cache  # per language, once per process: a form validating its language field reads them
def _language_choices(language: str) -> tuple[tuple[str, str], ...]:
    named = [(code, str(name)) for code, name in settings.LANGUAGES]  # named in `language`, the active one
    return tuple(sorted_by_name(named, lambda choice: choice[1], language))


class CollatedModelChoiceIterator(ModelChoiceIterator[Any]):
    """A model choice field's options in collation order of their labels (the empty choice stays first)."""

    def __iter__(self) -> Iterator[Any]:
        choices = list(super().__iter__())
        empty = choices[:1] if self.field.empty_label is not None else []
        return iter(empty + sorted(choices[len(empty) :], key=lambda choice: collation_key(str(choice[1]))))


class CollatedModelChoiceField(ModelChoiceField[Any]):
    iterator = CollatedModelChoiceIterator


class CollatedModelMultipleChoiceField(ModelMultipleChoiceField[Any]):
    iterator = CollatedModelChoiceIterator


def collate_choices(field: ModelChoiceField[Any]) -> None:
    """Show a model form's generated choice field (a foreign key's) in collation order."""
    field.iterator = CollatedModelChoiceIterator
    field.widget.choices = field.choices


def language_names(codes: Iterable[str]) -> list[str]:
    """The names of languages `codes` in the active language, in its collation order ("español, inglés")."""
    names = dict(settings.LANGUAGES)
    return sorted_by_name(str(names.get(code, code)) for code in codes)


# Values of a choice meaning "none of the above": filed after the others in every language.
LAST_VALUES = frozenset({"other"})


def collated(choices: Iterable[tuple[Any, Any]]) -> Callable[[], list[tuple[Any, str]]]:
    """A model's named choices (`Institution.Kind.choices`) as a callable a form field takes as `choices=`:
    labels in the active language's collation order, so each request gets its language's order. An empty
    choice ("---------", "All") stays first and "other" last. For lists whose order means something
    (statuses, levels, ratings) keep the stated order instead."""
    stated = list(choices)

    def ordered() -> list[tuple[Any, str]]:
        named = [(value, str(label)) for value, label in stated]
        empty = [choice for choice in named if choice[0] in ("", None)]
        last = [choice for choice in named if choice[0] in LAST_VALUES]
        middle = [choice for choice in named if choice not in empty and choice not in last]
        return empty + sorted_by_name(middle, lambda choice: choice[1]) + last

    return ordered


def collate_field(field: Any) -> None:
    """Put a form's generated choice field (a model field's `choices`, with its empty choice) in collation
    order; a model choice field (a foreign key's) the same way as `collate_choices`."""
    if isinstance(field, ModelChoiceField):
        collate_choices(field)
        return
    field.choices = collated(list(field.choices))
