"""Text normalisation for matching people across imports and forms."""

import re
import unicodedata


def normalise_email(email: str | None) -> str | None:
    email = (email or "").strip()
    return email.lower() or None


def fold(text: str) -> str:
    """Lower-case, accent-free, single-spaced: 'José  PÉREZ' → 'jose perez'."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", plain).strip().casefold()
