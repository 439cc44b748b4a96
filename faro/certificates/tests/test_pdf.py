"""Certificates fit for an archive: metadata (info and XMP), language, distinct font subset tags,
fixed texts in the certificate's language, hours and partner where the programme has them."""

import datetime
import io
import re
from types import SimpleNamespace
from typing import Any

import pytest
from pypdf import PdfReader

from faro.accounts.models import User
from faro.certificates.models import Certificate
from faro.certificates.pdf import render_pdf
from faro.certificates.programme_adapters import programme_details
from faro.directory.models import Institution

pytestmark = pytest.mark.django_db


def read(certificate: Certificate, language: str) -> PdfReader:
    return PdfReader(io.BytesIO(render_pdf(certificate, language)))


def test_document_information_names_title_author_and_subject(certificate: Certificate) -> None:
    meta = read(certificate, "es").metadata
    assert meta is not None
    assert meta.title == f"Constancia de participación — {certificate.holder_name}"
    assert meta.author == certificate.issuer_name.replace(
        "Inter-American Committee on Ports (CIP) · OAS", "Comisión Interamericana de Puertos (CIP) · OEA"
    )
    assert meta.subject == certificate.achievement.in_language("es")


def test_xmp_metadata_and_language_are_embedded(certificate: Certificate) -> None:
    reader = read(certificate, "fr")
    root: Any = reader.trailer["/Root"]  # a PDF dictionary
    assert root["/Lang"] == "fr"
    xmp = reader.xmp_metadata
    assert xmp is not None
    assert xmp.dc_title == {"x-default": f"Attestation de participation — {certificate.holder_name}"}
    assert xmp.dc_creator == [
        certificate.issuer_name.replace(
            "Inter-American Committee on Ports (CIP) · OAS", "Commission interaméricaine des ports (CIP) · OEA"
        )
    ]
    assert xmp.dc_language == ["fr"]


def test_each_embedded_font_subset_has_its_own_tag(certificate: Certificate) -> None:
    page = read(certificate, "en").pages[0]
    resources: Any = page["/Resources"]  # a PDF dictionary
    names = [str(font["/BaseFont"]) for font in resources["/Font"].values()]
    tags = [name.split("+")[0] for name in names]
    assert all(re.fullmatch(r"/[A-Z]{6}", tag) for tag in tags)
    assert len(set(tags)) == len(tags) >= 2


def test_fixed_texts_follow_the_certificate_language(certificate: Certificate) -> None:
    text = read(certificate, "es").pages[0].extract_text()
    assert "Código de verificación" in text
    assert "Verification code" not in text
    assert "Comisión Interamericana de Puertos (CIP) · OEA · SPRC" in text  # the footer
    assert "Inter-American Committee" not in text


def test_hours_and_partner_are_printed_where_the_programme_has_them(
    certificate: Certificate, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("faro.certificates.pdf.programme_details", lambda _c: {"hours": "40", "partner": "APN"})
    text = read(certificate, "pt").pages[0].extract_text()
    assert "40 horas de estudo" in text
    assert "com APN" in text


def test_a_course_has_hours_and_its_provider(partner_institution: Institution, monkeypatch: pytest.MonkeyPatch) -> None:
    from faro.certificates import programme_adapters as sources
    from faro.courses.models import Offering
    from faro.courses.tests.factories import make_course, make_offering

    monkeypatch.setitem(sources.ADAPTERS, "course", sources.CourseAdapter(Offering))
    offering = make_offering(make_course(partner_institution, hours=60))
    details = programme_details(SimpleNamespace(kind="course", source_id=offering.pk))
    assert details["hours"] == "60"
    assert details["partner"]


# Tagged for screen readers, and PDF/A-2b groundwork (checked here with pypdf; no PDF/A validator runs in tests)


@pytest.fixture
def dressed(certificate: Certificate, staff: User) -> Certificate:
    """The certificate with a partner's logo and a signatory on its template."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from faro.certificates import services
    from faro.lib.qr import qr_png

    template = certificate.template
    services.add_logo(template, acting_user=staff, label="APN", upload=SimpleUploadedFile("a.png", qr_png("A")))
    services.add_signatory(template, acting_user=staff, name="Ana Ruiz", title={"en": "Secretary", "es": "Secretaria"})
    return Certificate.objects.get(pk=certificate.pk)


def _operators(reader: PdfReader) -> list[str]:
    from pypdf.generic import ContentStream

    content = ContentStream(reader.pages[0].get_contents(), reader)
    return [operator.decode() for _operands, operator in content.operations]


def test_the_document_is_marked_and_has_a_structure_tree_in_reading_order(dressed: Certificate) -> None:
    reader = read(dressed, "es")
    root: Any = reader.trailer["/Root"]  # a PDF dictionary
    assert root["/MarkInfo"]["/Marked"] == True  # noqa: E712 - a pypdf BooleanObject
    assert root["/ViewerPreferences"]["/DisplayDocTitle"] == True  # noqa: E712
    document = root["/StructTreeRoot"]["/K"].get_object()
    assert document["/S"] == "/Document"
    assert document["/Lang"] == "es"
    roles = [kid.get_object()["/S"] for kid in document["/K"]]
    assert roles == ["/Figure", "/H1", "/P", "/P", "/P", "/P", "/Figure", "/P"]
    assert [kid.get_object()["/K"] for kid in document["/K"]] == list(range(len(roles)))
    page: Any = reader.pages[0]  # a PDF dictionary
    assert page["/StructParents"] == 0
    parents = root["/StructTreeRoot"]["/ParentTree"].get_object()["/Nums"]
    assert parents[0] == 0
    assert [ref.get_object() for ref in parents[1]] == [kid.get_object() for kid in document["/K"]]


def test_figures_have_alternative_text_in_the_certificate_language(dressed: Certificate) -> None:
    reader = read(dressed, "es")
    root: Any = reader.trailer["/Root"]  # a PDF dictionary
    kids = [kid.get_object() for kid in root["/StructTreeRoot"]["/K"].get_object()["/K"]]
    alts = [kid["/Alt"] for kid in kids if kid["/S"] == "/Figure"]
    assert alts[0] == "Logotipo: APN"
    assert alts[1].startswith("Código QR de la dirección de verificación http")
    assert alts[1].endswith(f"/verify/{dressed.display_code}")


def test_every_text_and_image_is_tagged_and_decoration_is_an_artifact(dressed: Certificate) -> None:
    operators = _operators(read(dressed, "en"))
    depth, marked = 0, []
    for operator in operators:
        if operator in {"BDC", "BMC"}:
            depth += 1
        elif operator == "EMC":
            depth -= 1
        elif operator in {"BT", "Do", "S", "re"}:
            marked.append(depth > 0)
    assert depth == 0
    assert operators.count("BDC") == 8
    assert operators.count("BMC") >= 2  # the border and the signature line
    assert all(marked)


def test_the_output_intent_embeds_an_srgb_icc_profile(certificate: Certificate) -> None:
    root: Any = read(certificate, "en").trailer["/Root"]  # a PDF dictionary
    intent = root["/OutputIntents"][0].get_object()
    assert intent["/S"] == "/GTS_PDFA1"
    assert intent["/OutputConditionIdentifier"] == "sRGB IEC61966-2.1"
    profile = intent["/DestOutputProfile"].get_object()
    assert profile["/N"] == 3
    data = profile.get_data()
    assert data[36:40] == b"acsp"  # an ICC profile's signature
    assert data[16:20] == b"RGB "
    assert int.from_bytes(data[:4], "big") == len(data)


def test_xmp_identifies_pdf_a_2b_and_mirrors_the_document_information(certificate: Certificate) -> None:
    reader = read(certificate, "pt")
    root: Any = reader.trailer["/Root"]  # a PDF dictionary
    metadata = root["/Metadata"].get_object()
    assert "/Filter" not in metadata
    xmp = reader.xmp_metadata
    assert xmp is not None
    assert xmp.pdfaid_part == "2"
    assert xmp.pdfaid_conformance == "B"
    info: Any = reader.metadata  # a PDF dictionary
    assert info is not None
    assert xmp.pdf_producer == info["/Producer"]
    assert xmp.pdf_keywords == info["/Keywords"]
    created = certificate.issued_at.astimezone(datetime.UTC).strftime("D:%Y%m%d%H%M%S+00'00'")
    assert info["/CreationDate"] == created
    assert info["/ModDate"] == created
    assert xmp.xmp_create_date == certificate.issued_at.astimezone(datetime.UTC).replace(microsecond=0, tzinfo=None)
    assert xmp.xmp_modify_date == xmp.xmp_create_date
