"""The import framework: parse → preview with per-row errors → all-or-nothing commit.

An importer parses a file into `ImportPreview` (rows it understood plus `RowError`s). Views
show the preview; committing is only allowed when there are no errors, and the commit
runs in one transaction, so a bad file never leaves half its rows behind.
"""

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class RowError:
    line: int
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "message": str(self.message)}


@dataclass
class ImportPreview:
    rows: list[Any] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def error(self, line: int, message: str) -> None:
        self.errors.append(RowError(line, message))


class ImportRejected(Exception):
    """Raised by a commit when the preview has errors; nothing was written."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} row(s) with errors")
        self.errors = errors


def runs_in_background(data: bytes) -> bool:
    """Whether importing `data` is a background job (with the progress page) rather than part of the
    request: more than `FARO_IMPORT_BACKGROUND_ROWS` lines, or more than `FARO_IMPORT_BACKGROUND_BYTES`
    (for spreadsheets, whose lines cannot be counted without reading them)."""
    from django.conf import settings  # parsers import this module and stay free of Django's machinery

    rows: int = settings.FARO_IMPORT_BACKGROUND_ROWS
    return data.count(b"\n") > rows or len(data) > settings.FARO_IMPORT_BACKGROUND_BYTES


def size_limit_text() -> str:
    """The upload limit in words, for the help text of every import and upload field."""
    from django.conf import settings
    from django.template.defaultfilters import filesizeformat
    from django.utils.translation import gettext as _

    return _("At most %(size)s.") % {"size": filesizeformat(settings.FARO_MAX_UPLOAD_BYTES)}
