"""What reportlab does not offer for an archival, screen-reader-friendly PDF, built on its document model.

reportlab (open-source edition) writes no structure tree and no output intent. This module adds:
- tagging: each drawn piece is a marked-content sequence (`/P <</MCID n>> BDC … EMC`) tied to a
  structure element (Document → H1, P, Figure with /Alt), decoration is marked `/Artifact`;
  the catalogue gets /StructTreeRoot, /MarkInfo <</Marked true>> and the page /StructParents and
  /Tabs /S, with the reading order being the drawing order;
- PDF/A-2b groundwork: an sRGB OutputIntent (an ICC profile made by LittleCMS through Pillow),
  XMP with `pdfaid:part 2` / `conformance B` mirroring the document information (same dates,
  same producer), and an unfiltered metadata stream.
"""

import contextlib
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from PIL import ImageCms
from reportlab.pdfbase.pdfdoc import (
    XMP,
    PDFArray,
    PDFCatalog,
    PDFDictionary,
    PDFName,
    PDFPage,
    PDFStream,
    PDFString,
)
from reportlab.pdfbase.pdfdoc import format as pdf_format
from reportlab.pdfgen.canvas import Canvas

PDFA_PART, PDFA_CONFORMANCE = 2, "B"


@lru_cache(maxsize=1)
def srgb_profile() -> bytes:
    """An sRGB ICC profile (IEC 61966-2.1 primaries and curve), made by LittleCMS."""
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
    return bytes(profile.tobytes())


class Tagger:
    """Marks what a canvas draws and builds the structure tree of a one-page document."""

    def __init__(self, canvas: Canvas) -> None:
        self.canvas = canvas
        self.elements: list[tuple[str, int, str | None]] = []  # (role, MCID, alternative text)

    @contextlib.contextmanager
    def tag(self, role: str, alt: str | None = None) -> Iterator[None]:
        mcid = len(self.elements)
        self.canvas._code.append(f"/{role} <</MCID {mcid}>> BDC")
        try:
            yield
        finally:
            self.canvas._code.append("EMC")
        self.elements.append((role, mcid, alt))

    @contextlib.contextmanager
    def artifact(self) -> Iterator[None]:
        self.canvas._code.append("/Artifact BMC")
        try:
            yield
        finally:
            self.canvas._code.append("EMC")

    def finish(self, language: str, title: str) -> None:
        """After showPage: the structure tree, the page's links to it, the catalogue entries."""
        doc = self.canvas._doc
        page: Any = doc.Pages.pages[-1]
        page.StructParents = 0
        page.Tabs = PDFName("S")
        page.__NoDefault__ = [*PDFPage.__NoDefault__, "StructParents", "Tabs"]
        page_ref = doc.Reference(page)
        root = PDFDictionary({"Type": PDFName("StructTreeRoot")})
        root_ref = doc.Reference(root)
        document = PDFDictionary(
            {
                "Type": PDFName("StructElem"),
                "S": PDFName("Document"),
                "P": root_ref,
                "Lang": PDFString(language),
                "T": PDFString(title),
            }
        )
        document_ref = doc.Reference(document)
        kids = []
        for role, mcid, alt in self.elements:
            element = {"Type": PDFName("StructElem"), "S": PDFName(role), "P": document_ref, "Pg": page_ref, "K": mcid}
            if alt:
                element["Alt"] = PDFString(alt)
            kids.append(doc.Reference(PDFDictionary(element)))
        document["K"] = PDFArray(kids)
        root["K"] = document_ref
        root["ParentTree"] = doc.Reference(PDFDictionary({"Nums": PDFArray([0, PDFArray(kids)])}))
        root["ParentTreeNextKey"] = 1
        catalog: Any = doc.Catalog
        catalog.StructTreeRoot = root_ref
        catalog.MarkInfo = PDFDictionary({"Marked": "true"})
        catalog.ViewerPreferences = PDFDictionary({"DisplayDocTitle": "true"})


def add_output_intent(canvas: Canvas) -> None:
    """An sRGB OutputIntent (GTS_PDFA1, the subtype PDF/A-2 uses too) with its ICC profile embedded."""
    doc = canvas._doc
    profile = PDFStream(PDFDictionary({"N": 3}), srgb_profile())
    intent = PDFDictionary(
        {
            "Type": PDFName("OutputIntent"),
            "S": PDFName("GTS_PDFA1"),
            "OutputConditionIdentifier": PDFString("sRGB IEC61966-2.1"),
            "Info": PDFString("sRGB IEC61966-2.1"),
            "DestOutputProfile": doc.Reference(profile),
        }
    )
    catalog: Any = doc.Catalog
    catalog.OutputIntents = PDFArray([intent])
    catalog.__NoDefault__ = [*PDFCatalog.__NoDefault__, "OutputIntents"]


def pdf_date(value: str) -> str:
    """'2020-10-15T12:00:00Z' as a PDF date string, D:20201015120000+00'00'."""
    digits = value.replace("-", "").replace(":", "").replace("T", "").rstrip("Z")
    return f"D:{digits}+00'00'"


def fix_info_dates(canvas: Canvas, created: str, producer: str) -> None:
    """The document information says the same creation date and producer as the XMP."""
    info: Any = canvas._doc.info
    info._dateFormatter = lambda *_parts: pdf_date(created)
    info.producer = producer


class UnfilteredXMP(XMP):  # type: ignore[misc]  # reportlab ships no type hints
    """reportlab's XMP stream, written without any /Filter (PDF/A wants metadata readable as is)."""

    def format(self, document: Any) -> bytes:
        content = self.makeContent(document)
        dictionary = PDFDictionary(self.dictionary.dict.copy())
        content = document.encrypt.encode(content)
        dictionary["Length"] = len(content)
        return bytes(pdf_format(dictionary, document) + b"\nstream\n" + pdf_format(content, document) + b"endstream\n")
