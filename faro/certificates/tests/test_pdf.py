"""Certificates fit for an archive: metadata (info and XMP), language, distinct font subset tags,
fixed texts in the certificate's language, hours and partner where the programme has them."""

import io
import re
from types import SimpleNamespace
from typing import Any

import pytest
from pypdf import PdfReader

from faro.certificates.models import Certificate
from faro.certificates.pdf import render_pdf
from faro.certificates.sources import programme_details
from faro.directory.models import Institution

pytestmark = pytest.mark.django_db


def read(certificate: Certificate, language: str) -> PdfReader:
    return PdfReader(io.BytesIO(render_pdf(certificate, language)))


def test_document_information_names_title_author_and_subject(certificate: Certificate) -> None:
    meta = read(certificate, "es").metadata
    assert meta is not None
    assert meta.title == f"Constancia de participación — {certificate.holder_name}"
    assert meta.author == certificate.issuer_name
    assert meta.subject == certificate.achievement.in_language("es")


def test_xmp_metadata_and_language_are_embedded(certificate: Certificate) -> None:
    reader = read(certificate, "fr")
    root: Any = reader.trailer["/Root"]  # a PDF dictionary
    assert root["/Lang"] == "fr"
    xmp = reader.xmp_metadata
    assert xmp is not None
    assert xmp.dc_title == {"x-default": f"Attestation de participation — {certificate.holder_name}"}
    assert xmp.dc_creator == [certificate.issuer_name]
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


def test_hours_and_partner_are_printed_where_the_programme_has_them(
    certificate: Certificate, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("faro.certificates.pdf.programme_details", lambda _c: {"hours": "40", "partner": "APN"})
    text = read(certificate, "pt").pages[0].extract_text()
    assert "40 horas de estudo" in text
    assert "com APN" in text


def test_a_course_has_hours_and_its_provider(partner_institution: Institution, monkeypatch: pytest.MonkeyPatch) -> None:
    from faro.certificates import sources
    from faro.courses.models import Offering
    from faro.courses.tests.factories import make_course, make_offering

    monkeypatch.setitem(sources.ADAPTERS, "course", sources.CourseAdapter(Offering))
    offering = make_offering(make_course(partner_institution, hours=60))
    details = programme_details(SimpleNamespace(kind="course", source_id=offering.pk))
    assert details["hours"] == "60"
    assert details["partner"]
