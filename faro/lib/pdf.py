"""The fonts every PDF of Faro is set in: DejaVu Sans, registered once with ReportLab.

DejaVu covers every accent of the four languages. Certificates are archival (PDF/A) and need it
embedded, so `register_fonts()` raises when it is missing; a badge sheet may fall back to the
PDF standard Helvetica (`register_fonts(fallback=True)`).
"""

import threading
import zlib
from functools import lru_cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIRS = [Path("/usr/share/fonts/truetype/dejavu")]
REGULAR, BOLD = "FaroSans", "FaroSans-Bold"
FALLBACK = ("Helvetica", "Helvetica-Bold")

_TAG_LOCK = threading.Lock()


class TaggedTTFont(TTFont):  # type: ignore[misc]  # reportlab ships no type hints
    """A TrueType font whose embedded subsets carry their own tag (`ABCDEF+Name`).

    ReportLab numbers each font's subsets from AAAAAA, so two fonts in one file share a tag;
    archival checkers (PDF/A) expect a distinct tag per embedded subset.
    """

    def __init__(self, name: str, path: str) -> None:
        super().__init__(name, path)
        self.tag_offset = zlib.crc32(name.encode()) % 900_000

    def addObjects(self, doc: object) -> None:
        original = ttfonts.SUBSETN
        with _TAG_LOCK:
            ttfonts.SUBSETN = lambda n, *args: original(n + self.tag_offset, *args)
            try:
                super().addObjects(doc)
            finally:
                ttfonts.SUBSETN = original


@lru_cache(maxsize=1)
def _registered() -> bool:
    for folder in FONT_DIRS:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.exists() and bold.exists():
            pdfmetrics.registerFont(TaggedTTFont(REGULAR, str(regular)))
            pdfmetrics.registerFont(TaggedTTFont(BOLD, str(bold)))
            return True
    return False


def register_fonts(*, fallback: bool = False) -> tuple[str, str]:
    """The (regular, bold) font names to set text in, registering DejaVu Sans on first use."""
    if _registered():
        return REGULAR, BOLD
    if fallback:
        return FALLBACK
    raise RuntimeError("DejaVu Sans not found: install Debian's fonts-dejavu-core (make setup does)")
