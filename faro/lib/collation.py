"""Sort names as a reader of a language files them, without ICU.

PyICU is not installed and `pyuca` only knows the root collation (no Spanish ñ, no "St." filed as
"Saint"), so Faro keeps a small rule set of its own on top of `unicodedata`:

- primary level: letters without accents or case; punctuation, apostrophes and hyphens are spaces
  ("Côte d'Ivoire" ≈ "cote d ivoire", "Saint-Vincent" ≈ "saint vincent");
- abbreviations filed as their full word ("St. Kitts & Nevis" as "saint kitts and nevis");
- Spanish: ñ is its own letter after n ("Peña" after "Penna");
- ties broken by accents, then case (lower case first), so the order is total and stable.
"""

import re
import unicodedata
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.utils.translation import get_language

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
    language = (language or get_language() or "en").split("-")[0].lower()
    text = unicodedata.normalize("NFC", text or "")
    return (_primary(text, language), unicodedata.normalize("NFD", text.casefold()), text.swapcase())


def sorted_by_name(items: Iterable[T], name: Callable[[T], str] = str, language: str | None = None) -> list[T]:
    """`items` in collation order of `name(item)` in `language` (default: the active language)."""
    return sorted(items, key=lambda item: collation_key(name(item), language))
