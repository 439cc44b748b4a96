"""Every page a persona can reach from the navigation: answers, one <h1>, a <title>, axe-clean, fits a phone."""

import re
from collections import deque
from urllib.parse import urldefrag, urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

from conftest import assert_accessible, login
from faro.accounts.models import User
from faro.directory.models import Institution
from faro.tests.site import build_site

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES_PER_PERSONA = {"staff": 60}
PAGES = 30
# Not pages: downloads, the admin, the API, actions reached by POST elsewhere.
SKIP = ("/django-admin/", "/api/", "/i18n/", "/media/", "/static/", "/accounts/logout", "/accounts/language/")
DOWNLOADS = (".pdf", ".csv", ".xlsx", ".ics", ".zip", ".json", ".xml", "/export", "/download", "/feed")


def _links(page: Page, host: str) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    found = []
    for href in hrefs:
        url, _fragment = urldefrag(href)
        parts = urlsplit(url)
        if parts.netloc != host or parts.path.startswith(SKIP) or any(d in parts.path for d in DOWNLOADS):
            continue
        found.append(url)
    return found


def _shape(url: str) -> str:
    return re.sub(r"\d+", "N", urlsplit(url).path)


def _check(page: Page, url: str) -> list[str] | None:
    """What is wrong with the page at `url`; None when it is a download, not a page."""
    problems = []
    try:
        response = page.goto(url)
    except PlaywrightError as error:  # a file served as an attachment is not a page
        if "Download is starting" in str(error):
            return None
        raise
    status = response.status if response else 0
    if status >= 400:
        return [f"{url}: HTTP {status}"]
    if page.locator("h1").count() != 1:
        problems.append(f"{url}: {page.locator('h1').count()} <h1>")
    title = page.title()
    if not title.endswith(" · Faro — CIP") or title.startswith(" ·"):
        problems.append(f"{url}: <title> is not “page · Faro — CIP”: {title!r}")
    try:
        assert_accessible(page)
    except AssertionError as error:
        problems.append(str(error))
    return problems


def crawl(page: Page, limit: int, start: str = "/") -> tuple[list[str], list[str]]:
    """Visit pages breadth-first from `start`, one URL per shape of path (/people/7/ stands for all), same host."""
    queue, seen_paths = deque([start]), set()
    visited: list[str] = []
    problems: list[str] = []
    while queue and len(visited) < limit:
        url = queue.popleft()
        path = _shape(url)
        if path in seen_paths:
            continue
        seen_paths.add(path)
        found = _check(page, url)
        if found is None:
            continue
        problems += found
        visited.append(page.url)
        queue.extend(u for u in _links(page, urlsplit(page.url).netloc) if _shape(u) not in seen_paths)
    return visited, problems


# The page's width, the screen's, and the first element that sticks out (to name the culprit).
WIDTHS = """() => {
  const root = document.documentElement, edge = root.clientWidth;
  const culprit = [...document.body.querySelectorAll("*")].find(e => e.getBoundingClientRect().right > edge + 1);
  return [root.scrollWidth, edge, culprit ? culprit.outerHTML.slice(0, 120) : ""];
}"""


def overflowing(page: Page, urls: list[str]) -> list[str]:
    """Pages wider than a 375-pixel phone screen."""
    page.set_viewport_size({"width": 375, "height": 667})
    wide = []
    for url in urls:
        page.goto(url)
        sizes = page.evaluate(WIDTHS)
        if sizes[0] > sizes[1]:
            wide.append(f"{url}: {sizes[0]}px wide on a {sizes[1]}px screen, first past the edge: {sizes[2]}")
    return wide


@pytest.fixture
def site(
    staff: User, partner: User, focal_point: User, participant: User, reviewer: User, partner_institution: Institution
) -> None:
    build_site(
        staff=staff, partner=partner, focal_point=focal_point, participant=participant, institution=partner_institution
    )


@pytest.mark.parametrize("persona", ["anonymous", "participant", "focal_point", "partner", "reviewer", "staff"])
def test_every_reachable_page_is_sound(page: Page, site: None, persona: str, request: pytest.FixtureRequest) -> None:
    if persona != "anonymous":
        login(page, request.getfixturevalue(persona).email)
    visited, problems = crawl(page, PAGES_PER_PERSONA.get(persona, PAGES))
    problems += overflowing(page, visited)
    print(persona, len(visited), "pages:", *visited, sep="\n  ")
    assert not problems, f"{len(visited)} pages visited; problems:\n" + "\n".join(problems)
