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
