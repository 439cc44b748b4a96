"""QR codes (segno): SVG for pages, PNG bytes for PDFs."""

import io

import segno


def qr_svg(data: str, *, scale: int = 4, title: str = "") -> str:
    """An inline <svg> element (no XML declaration) encoding `data`."""
    buffer = io.BytesIO()
    segno.make(data, error="m").save(buffer, kind="svg", scale=scale, xmldecl=False, svgns=True, title=title or None)
    return buffer.getvalue().decode()


def qr_png(data: str, *, scale: int = 8, border: int = 2) -> bytes:
    buffer = io.BytesIO()
    segno.make(data, error="m").save(buffer, kind="png", scale=scale, border=border)
    return buffer.getvalue()
