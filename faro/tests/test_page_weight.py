"""Pages a participant uses stay light: ≤ 60 KB compressed with their CSS and JavaScript, nothing from
another host (measured on the pages as served, with the stylesheet they link)."""

import gzip
import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from faro.accounts.models import User
from faro.directory.models import Institution
from faro.scholarships.models import Application, Call
from faro.tests.site import build_site
from faro.webinars.models import Webinar

BUDGET = 60 * 1024
ASSET = re.compile(r"""<(?:link|script|img|iframe|source|video|audio)\b[^>]*?\b(?:href|src)=["']([^"']+)["']""", re.I)
ALTERNATE = re.compile(r"""<link\b[^>]*\brel=["']alternate["'][^>]*>""", re.I)  # feeds: links, not loaded
CSS_URL = re.compile(r"""url\(\s*["']?([^"')]+)""")


def _gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))


def _asset_bytes(url: str) -> bytes:
    path = finders.find(url.removeprefix("/static/").split("?")[0])
    assert path, f"{url} is not a static file of Faro"
    with open(str(path), "rb") as handle:
        return handle.read()


def _pages() -> dict[str, str]:
    webinar = Webinar.objects.get()
    call = Call.objects.get()
    return {
        "home": "/",
        "calendar": reverse("portal:calendar"),
        "catalogue": reverse("courses:catalogue"),
        "webinar": webinar.get_absolute_url(),
        "registration form": reverse("webinars:registration_create", args=[webinar.pk]),
        "call": reverse("scholarships:call", args=[call.pk]),
        "application form": Application.objects.get().get_absolute_url(),
        "my page": reverse("accounts:me"),
        "my applications": reverse("scholarships:my_applications"),
        "my data": reverse("portal:my_data"),
        "verification": reverse("certificates:verification_form"),
    }


def weigh(client: Client, url: str) -> tuple[int, list[str]]:
    """(compressed bytes of the page and its assets, assets from another host)."""
    response = client.get(url, follow=True)
    assert response.status_code == 200, url
    html = response.content.decode()
    total, foreign = _gz(response.content), []
    for asset in ASSET.findall(ALTERNATE.sub("", html)):
        asset = asset.removeprefix("http://testserver")
        if asset.startswith(("http:", "https:", "//")):
            foreign.append(asset)
        elif asset.startswith("/static/") and not asset.endswith((".svg", ".ico", ".png")):
            data = _asset_bytes(asset)
            total += _gz(data)
            foreign += [u for u in CSS_URL.findall(data.decode()) if u.startswith(("http:", "https:", "//"))]
    return total, foreign


@pytest.mark.django_db
def test_participant_pages_are_light_and_load_nothing_from_another_host(
    client: Client,
    staff: User,
    partner: User,
    focal_point: User,
    participant: User,
    partner_institution: Institution,
) -> None:
    build_site(
        staff=staff, partner=partner, focal_point=focal_point, participant=participant, institution=partner_institution
    )
    client.force_login(participant)
    weights = {}
    for language in ("en", "es", "pt", "fr"):
        client.cookies["faro_language"] = language
        for name, url in _pages().items():
            size, foreign = weigh(client, url)
            assert not foreign, f"{name} ({language}) loads {foreign}"
            weights[f"{name} ({language})"] = size
    print("\n".join(f"{size:>7} B  {name}" for name, size in weights.items()))  # the report's figures (pytest -s)
    heavy = {name: size for name, size in weights.items() if size > BUDGET}
    assert not heavy, f"over {BUDGET} bytes compressed: {heavy}"
