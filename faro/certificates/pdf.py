"""Render a certificate as a one-page PDF (reportlab), in any of Faro's languages.

Text is set in DejaVu Sans, a Unicode TrueType font embedded in the PDF, so accents and any
Latin name print correctly; long names shrink, then wrap. PDFs are rendered on first
download and cached in the default storage, keyed by code, language and template version.
"""

import datetime
import io
from xml.sax.saxutils import escape

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.defaultfilters import date as format_date
from django.utils import translation
from django.utils.translation import gettext as _
from reportlab.lib.colors import HexColor
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Frame, Paragraph

from faro.certificates.models import Certificate, CertificateTemplate, Kind
from faro.certificates.pdfarchive import (
    PDFA_CONFORMANCE,
    PDFA_PART,
    Tagger,
    UnfilteredXMP,
    add_output_intent,
    fix_info_dates,
)
from faro.certificates.programme_adapters import ORGANISER, programme_details
from faro.core.fields import as_translated
from faro.lib.pdf import BOLD, REGULAR, register_fonts
from faro.lib.qr import qr_png

BRAND = HexColor("#0b4f6c")
INK = HexColor("#1b1f24")
PAGE_W, PAGE_H = landscape(A4)


def fill_wording(text: str, values: dict[str, str]) -> str:
    """Replace {name}, {achievement} and {date}; any other brace text is left as typed."""
    for key, value in values.items():
        text = text.replace("{" + key + "}", value)
    return text


def _fit_name(canvas: Canvas, name: str, y: float) -> float:
    """Draw the holder's name as large as fits (30 → 16 pt), wrapping only if it must."""
    width = PAGE_W - 160
    for size in range(30, 15, -2):
        if pdfmetrics.stringWidth(name, BOLD, size) <= width:
            canvas.setFont(BOLD, size)
            canvas.drawCentredString(PAGE_W / 2, y, name)
            return y - size - 8
    style = ParagraphStyle("name", fontName=BOLD, fontSize=16, leading=20, alignment=TA_CENTER, textColor=INK)
    paragraph = Paragraph(escape(name), style)
    _w, height = paragraph.wrap(width, 200)
    paragraph.drawOn(canvas, 80, y - height + 16)
    bottom: float = y - height - 4
    return bottom


def _logos(canvas: Canvas, template: CertificateTemplate, tagger: Tagger) -> None:
    logos = [logo for logo in template.logos.all() if logo.image]
    box_w, box_h, gap = 120.0, 56.0, 24.0
    x = (PAGE_W - len(logos) * box_w - max(len(logos) - 1, 0) * gap) / 2
    for logo in logos:
        with logo.image.open("rb") as handle:
            image = ImageReader(io.BytesIO(handle.read()))
        iw, ih = image.getSize()
        scale = min(box_w / iw, box_h / ih)
        with tagger.tag("Figure", alt=_("Logo: %(institution)s") % {"institution": logo.label}):
            left, bottom = x + (box_w - iw * scale) / 2, PAGE_H - 50 - box_h
            canvas.drawImage(image, left, bottom, iw * scale, ih * scale, mask="auto")
        x += box_w + gap


def _signatories(canvas: Canvas, template: CertificateTemplate, language: str, tagger: Tagger) -> None:
    people = list(template.signatories.all())[:3]
    slot = (PAGE_W - 300) / max(len(people), 1)
    for index, person in enumerate(people):
        centre = 60 + slot * index + slot / 2
        with tagger.artifact():
            canvas.setStrokeColor(INK)
            canvas.line(centre - 80, 118, centre + 80, 118)
        with tagger.tag("P"):
            canvas.setFont(BOLD, 10)
            canvas.drawCentredString(centre, 104, person.name)
            canvas.setFont(REGULAR, 8.5)
            canvas.drawCentredString(centre, 92, as_translated(person.title).in_language(language)[:70])


def _verification(canvas: Canvas, certificate: Certificate, tagger: Tagger) -> None:
    url = f"{settings.SITE_URL}/verify/{certificate.display_code}"
    with tagger.tag("Figure", alt=_("QR code of the verification address %(url)s") % {"url": url}):
        canvas.drawImage(ImageReader(io.BytesIO(qr_png(url, scale=4, border=1))), PAGE_W - 190, 70, 96, 96)
    with tagger.tag("P"):
        canvas.setFont(REGULAR, 8)
        canvas.drawCentredString(PAGE_W - 142, 58, _("Verification code"))
        canvas.setFont(BOLD, 11)
        canvas.drawCentredString(PAGE_W - 142, 45, certificate.display_code)
        canvas.setFont(REGULAR, 7)
        canvas.drawCentredString(PAGE_W - 142, 35, f"{settings.SITE_URL}/verify")


PRODUCER = "Faro (ReportLab)"


def xmp_packet(*, title: str, author: str, subject: str, language: str, created: str) -> str:
    """XMP metadata (Dublin Core, XMP basic, PDF, PDF/A identification) mirroring the document information."""
    title, author, subject = escape(title), escape(author), escape(subject)
    return f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmp="http://ns.adobe.com/xap/1.0/"
 xmlns:pdf="http://ns.adobe.com/pdf/1.3/" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
<pdfaid:part>{PDFA_PART}</pdfaid:part><pdfaid:conformance>{PDFA_CONFORMANCE}</pdfaid:conformance>
<dc:format>application/pdf</dc:format>
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
<dc:creator><rdf:Seq><rdf:li>{author}</rdf:li></rdf:Seq></dc:creator>
<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{subject}</rdf:li></rdf:Alt></dc:description>
<dc:language><rdf:Bag><rdf:li>{language}</rdf:li></rdf:Bag></dc:language>
<xmp:CreatorTool>Faro</xmp:CreatorTool><xmp:CreateDate>{created}</xmp:CreateDate>
<xmp:ModifyDate>{created}</xmp:ModifyDate><xmp:MetadataDate>{created}</xmp:MetadataDate>
<pdf:Producer>{PRODUCER}</pdf:Producer><pdf:Keywords>{subject}</pdf:Keywords>
</rdf:Description></rdf:RDF></x:xmpmeta>
<?xpacket end="w"?>"""


def issuer_in_language(certificate: Certificate) -> str:
    """The issuer as printed: the organiser's name in the active language, then the partners' acronyms."""
    if certificate.issuer_name.startswith(ORGANISER):
        return _("Inter-American Committee on Ports (CIP) · OAS") + certificate.issuer_name[len(ORGANISER) :]
    return certificate.issuer_name


def _metadata(canvas: Canvas, certificate: Certificate, language: str, title: str, subject: str) -> None:
    author = issuer_in_language(certificate)
    canvas.setTitle(title)
    canvas.setAuthor(author)
    canvas.setSubject(subject)
    canvas.setKeywords(subject)
    canvas.setCreator("Faro")
    created = certificate.issued_at.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    fix_info_dates(canvas, created, PRODUCER)
    packet = xmp_packet(title=title, author=author, subject=subject, language=language, created=created)
    # the Catalog's /Metadata stream
    canvas._doc.Catalog.Metadata = UnfilteredXMP(creator=lambda _doc: packet.encode("utf-8"))
    add_output_intent(canvas)


def _programme_line(certificate: Certificate, language: str) -> str:
    """Hours of study and the partner's name, where the programme has them."""
    details = programme_details(certificate)
    parts = []
    if details.get("hours"):
        parts.append(_("%(hours)s hours of study") % {"hours": details["hours"]})
    if details.get("partner"):
        parts.append(_("with %(partner)s") % {"partner": details["partner"]})
    return " · ".join(parts)


def render_pdf(certificate: Certificate, language: str) -> bytes:
    """The certificate as PDF bytes, worded in `language`."""
    register_fonts()
    template = certificate.template
    buffer = io.BytesIO()
    canvas = Canvas(
        buffer, pagesize=(PAGE_W, PAGE_H), pageCompression=1, lang=language, initialFontName=REGULAR
    )  # the initial font is embedded DejaVu too, so no unembedded base-14 font is referenced
    tagger = Tagger(canvas)
    with translation.override(language):
        achievement = as_translated(certificate.achievement).in_language(language)
        heading = as_translated(template.heading).in_language(language) or str(Kind(template.kind).label)
        title = f"{heading} — {certificate.holder_name}"
        _metadata(canvas, certificate, language, title, achievement)
        with tagger.artifact():
            canvas.setStrokeColor(BRAND)
            canvas.setLineWidth(3)
            canvas.rect(24, 24, PAGE_W - 48, PAGE_H - 48)
        _logos(canvas, template, tagger)
        with tagger.tag("H1"):
            canvas.setFillColor(BRAND)
            canvas.setFont(BOLD, 24)
            canvas.drawCentredString(PAGE_W / 2, PAGE_H - 150, heading)
        canvas.setFillColor(INK)
        with tagger.tag("P"):
            y = _fit_name(canvas, certificate.holder_name, PAGE_H - 200)
        values = {
            "name": certificate.holder_name,
            "achievement": achievement,
            "date": format_date(certificate.achieved_on, "DATE_FORMAT"),
        }
        style = ParagraphStyle("body", fontName=REGULAR, fontSize=13, leading=18, alignment=TA_CENTER, textColor=INK)
        wording = escape(fill_wording(as_translated(template.body).in_language(language), values)).replace(
            "\n", "<br/>"
        )
        story = [Paragraph(wording, style)]
        if programme := _programme_line(certificate, language):
            story.append(Paragraph(escape(programme), ParagraphStyle("programme", parent=style, fontSize=10)))
        with tagger.tag("P"):
            Frame(90, 150, PAGE_W - 180, y - 150, showBoundary=0).addFromList(story, canvas)
        with tagger.tag("P"):
            canvas.setFont(REGULAR, 8)
            canvas.drawString(48, 40, issuer_in_language(certificate)[:150])
            if certificate.expires_on:
                expiry = _("Valid until %(date)s") % {"date": format_date(certificate.expires_on, "DATE_FORMAT")}
                canvas.drawString(48, 52, expiry)
        _signatories(canvas, template, language, tagger)
        _verification(canvas, certificate, tagger)
    canvas.showPage()
    tagger.finish(language, title)
    canvas.save()
    return buffer.getvalue()


def cached_pdf(certificate: Certificate, language: str) -> bytes:
    """Render on first request, then serve the stored copy (until the template changes)."""
    version = int(certificate.template.updated_at.timestamp())
    name = f"certificates/pdf/{certificate.code}-{language}-{version}.pdf"
    if default_storage.exists(name):
        with default_storage.open(name, "rb") as handle:
            stored: bytes = handle.read()
            return stored
    content = render_pdf(certificate, language)
    default_storage.save(name, ContentFile(content))
    return content
