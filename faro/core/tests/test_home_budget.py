"""The public home page stays small and self-contained (issue 2 §9)."""

import gzip
import re
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

BUDGET = 60 * 1024


@pytest.mark.django_db
def test_the_home_page_with_its_css_and_js_is_under_60_kb_compressed(client: Client) -> None:
    html = client.get("/").content
    assets = re.findall(rb'(?:href|src)="/static/([^"]+\.(?:css|js))"', html)
    assert assets, "the page links its stylesheet"
    total = len(gzip.compress(html))
    for asset in assets:
        path = finders.find(asset.decode())
        assert path, asset
        total += len(gzip.compress(Path(path).read_bytes()))
    assert total <= BUDGET, f"{total} bytes compressed"


@pytest.mark.django_db
def test_the_home_page_asks_nothing_of_another_host(client: Client) -> None:
    html = client.get("/").content.decode()
    for url in re.findall(r'(?:href|src|action|srcset)="([^"]+)"', html) + re.findall(r"url\(([^)]+)\)", html):
        host = urlparse(url.strip("'\"")).netloc
        assert host in {"", "testserver"}, f"the page refers to another host: {url}"
    assert not re.search(r"//(?!testserver)[a-z0-9.-]+\.[a-z]{2,}/", html.replace("http://www.w3.org/2000/svg", ""))
    for name in ["faro/faro.css"]:
        css = Path(finders.find(name)).read_text()  # type: ignore[arg-type]  # the static file exists
        assert "@import" not in css
        assert "//" not in re.sub(r"/\*.*?\*/", "", css, flags=re.S)
