"""Check uploads by their content, not their name."""

import zipfile
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpeg": (b"\xff\xd8\xff",),
    "zip": (b"PK\x03\x04",),
}
KIND_LABELS = {"pdf": "PDF", "png": "PNG", "jpeg": "JPEG", "docx": "Word (.docx)", "xlsx": "Excel (.xlsx)"}


def sniff(upload: IO[bytes]) -> str | None:
    """The file's kind from its first bytes (and, for zip containers, its members)."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    kind = next((k for k, sigs in SIGNATURES.items() if head.startswith(sigs)), None)
    if kind != "zip":
        return kind
    try:
        names = set(zipfile.ZipFile(upload).namelist())
    except zipfile.BadZipFile:
        return None
    finally:
        upload.seek(0)
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    return "zip"


def check_upload(upload: IO[bytes], *, allowed: set[str], max_bytes: int | None = None) -> str:
    """Return the upload's kind, or raise a translated ValidationError saying what is wrong."""
    limit = max_bytes or settings.FARO_MAX_UPLOAD_BYTES
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise ValidationError(
            _("The file is too large (%(size)s); the limit is %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    kind = sniff(upload)
    if kind not in allowed:
        expected = ", ".join(KIND_LABELS.get(k, k) for k in sorted(allowed))
        raise ValidationError(
            _("The file's content is not an accepted type. Accepted: %(expected)s.") % {"expected": expected},
            code="wrong_type",
        )
    return kind
