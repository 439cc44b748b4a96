import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from faro.lib.uploads import check_upload


def test_a_pdf_is_recognised_by_its_content() -> None:
    upload = SimpleUploadedFile("cv.pdf", b"%PDF-1.7\n...")
    assert check_upload(upload, allowed={"pdf"}) == "pdf"


def test_a_renamed_file_is_refused() -> None:
    upload = SimpleUploadedFile("cv.pdf", b"MZ\x90\x00 not a pdf")
    with pytest.raises(ValidationError, match="not an accepted type"):
        check_upload(upload, allowed={"pdf", "png"})


def test_a_file_over_the_limit_is_refused() -> None:
    upload = SimpleUploadedFile("scan.pdf", b"%PDF-" + b"0" * 2048)
    with pytest.raises(ValidationError, match="too large"):
        check_upload(upload, allowed={"pdf"}, max_bytes=1024)


def test_office_files_are_told_apart_by_their_members() -> None:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    assert check_upload(SimpleUploadedFile("grades.xlsx", buffer.getvalue()), allowed={"xlsx"}) == "xlsx"
