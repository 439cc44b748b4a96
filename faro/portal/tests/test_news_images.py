"""News images cannot become pages on Faro's domain: re-encoded, named by what they are, SVG refused."""

import io
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

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


def test_a_png_named_html_with_a_script_appended_is_stored_as_a_clean_png(staff: Any) -> None:
    upload = SimpleUploadedFile("page.html", image_bytes("PNG") + SCRIPT, content_type="text/html")
    text = {"title": Translated({"en": "Port news"}), "body": Translated({"en": "A"})}
    post = save_news_post(NewsPost(), acting_user=staff, image=upload, image_alt=Translated({"en": "A port"}), **text)
    assert post.image.name.startswith("news/")
    assert post.image.name.endswith(".png")
    stored = post.image.open("rb").read()
    assert b"<script>" not in stored
    assert Image.open(io.BytesIO(stored)).size == (4, 3)


def test_a_jpeg_gets_the_jpg_extension() -> None:
    assert reencode_image(SimpleUploadedFile("photo.svg", image_bytes("JPEG"))).name.endswith(".jpg")


@pytest.mark.parametrize(
    "content",
    [b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', SCRIPT, b"GIF89a" + SCRIPT],
)
def test_svg_html_and_other_formats_are_refused(content: bytes) -> None:
    with pytest.raises(ValidationError):
        reencode_image(SimpleUploadedFile("image.png", content))
