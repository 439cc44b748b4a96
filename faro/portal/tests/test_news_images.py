"""News images cannot become pages on Faro's domain: re-encoded, named by what they are, SVG refused."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from faro.accounts.models import User
from faro.core.fields import Translated
from faro.lib.uploads import reencode_image
from faro.portal.models import NewsPost
from faro.portal.services import save_news_post

pytestmark = pytest.mark.django_db

SCRIPT = b"<html><script>alert(document.cookie)</script></html>"


def image_bytes(kind: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), "teal").save(buffer, format=kind)
    return buffer.getvalue()


def test_a_png_named_html_with_a_script_appended_is_stored_as_a_clean_png(staff: User) -> None:
    upload = SimpleUploadedFile("page.html", image_bytes("PNG") + SCRIPT, content_type="text/html")
    post = save_news_post(
        NewsPost(),
        acting_user=staff,
        image=upload,
        image_alt=Translated({"en": "A port"}),
        title=Translated({"en": "Port news"}),
        body=Translated({"en": "A"}),
    )
    assert post.image.name is not None
    assert post.image.name.startswith("news/")
    assert post.image.name.endswith(".png")
    stored = post.image.open("rb").read()
    assert b"<script>" not in stored
    assert Image.open(io.BytesIO(stored)).size == (4, 3)


def test_a_jpeg_gets_the_jpg_extension() -> None:
    name = reencode_image(SimpleUploadedFile("photo.svg", image_bytes("JPEG"))).name
    assert name is not None
    assert name.endswith(".jpg")


@pytest.mark.parametrize(
    "content",
    [b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', SCRIPT, b"GIF89a" + SCRIPT],
)
def test_svg_html_and_other_formats_are_refused(content: bytes) -> None:
    with pytest.raises(ValidationError):
        reencode_image(SimpleUploadedFile("image.png", content))
