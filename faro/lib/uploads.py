"""Check uploads by their content, not their name."""

import io
import secrets
import zipfile
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.http import FileResponse
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


CONTENT_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "zip": "application/zip",
}
EXTENSIONS = {"jpeg": "jpg"}


def private_download(file: IO[bytes], *, name: str) -> FileResponse:
    """A private upload served as a download: named `name` plus the extension of what it is, with the
    content type checked from its bytes (never the uploader's name or type) and `nosniff`, so a file
    that is really a page can never be shown as one on Faro's domain."""
    kind = sniff(file)
    extension = EXTENSIONS.get(kind or "", kind or "bin")
    content_type = CONTENT_TYPES.get(kind or "", "application/octet-stream")
    response = FileResponse(file, as_attachment=True, filename=f"{name}.{extension}", content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


IMAGE_FORMATS = {"PNG": "png", "JPEG": "jpg"}
MAX_IMAGE_PIXELS = 40_000_000  # larger images are refused before they are decoded


def reencode_image(upload: IO[bytes]) -> ContentFile[bytes]:
    """A PNG or JPEG re-encoded by Pillow, named by what it is (`<random>.png` / `.jpg`).

    Whatever the uploader named it (`.html`, `.svg`) and whatever rode along inside it (scripts after
    the image data, metadata), only the pixels are kept. SVG and everything else is refused."""
    from PIL import Image, UnidentifiedImageError

    upload.seek(0)
    try:
        with Image.open(upload) as image:
            if image.format not in IMAGE_FORMATS or image.width * image.height > MAX_IMAGE_PIXELS:
                raise ValidationError(_("Upload a PNG or JPEG image."), code="wrong_type")
            image.load()
            kind = str(image.format)
            pixels = image.convert("RGB") if kind == "JPEG" and image.mode not in {"RGB", "L", "CMYK"} else image
            buffer = io.BytesIO()
            pixels.save(buffer, format=kind)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise ValidationError(_("Upload a PNG or JPEG image."), code="wrong_type") from error
    return ContentFile(buffer.getvalue(), name=f"{secrets.token_hex(8)}.{IMAGE_FORMATS[kind]}")
