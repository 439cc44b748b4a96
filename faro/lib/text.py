"""Text normalisation for matching people across imports and forms."""

import re
import unicodedata


def normalise_email(email: str | None) -> str | None:
    """One spelling per address: Unicode NFKC (full-width and compatibility forms folded) and casefold.

    Every lookup, lockout counter and rate limit keyed by an email uses this, so a look-alike spelling
    neither finds another account nor gets a fresh counter.
    """
    email = unicodedata.normalize("NFKC", (email or "").strip()).casefold()
    return email or None


def fold(text: str) -> str:
    """Lower-case, accent-free, single-spaced: 'José  PÉREZ' → 'jose perez'."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", plain).strip().casefold()
