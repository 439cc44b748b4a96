import datetime
import io
from typing import Any

import feedparser
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image

from faro.accounts.models import User
from faro.core.fields import Translated
from faro.core.models import AuditEntry
from faro.portal.models import NewsPost
from faro.portal.services import save_news_post


def _png() -> bytes:
    """A real PNG (images are decoded and re-encoded, a signature alone is not enough)."""
    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), "navy").save(buffer, format="PNG")
    return buffer.getvalue()


PNG = _png()

pytestmark = pytest.mark.django_db


def test_saving_a_post_makes_a_unique_slug_and_logs_it(staff: User) -> None:
    first = save_news_post(
        NewsPost(), acting_user=staff, title=Translated({"en": "Port news"}), body=Translated({"en": "A"})
    )
    second = save_news_post(
        NewsPost(), acting_user=staff, title=Translated({"en": "Port news"}), body=Translated({"en": "B"})
    )
    assert (first.slug, second.slug) == ("port-news", "port-news-2")
    assert AuditEntry.objects.for_object(first).get().action == "portal.news.created"
    assert not first.is_published


def test_the_news_list_shows_published_posts_only(client: Client, posts: list[NewsPost]) -> None:
    response = client.get("/news/")
    assert response.status_code == 200
    assert "CIP Holidays Message 2020" in response.text
    assert "Unpublished draft" not in response.text


def test_drafts_are_404_for_visitors_and_visible_to_staff(
    client: Client, posts: list[NewsPost], staff: User, participant: User
) -> None:
    assert client.get("/news/draft/").status_code == 404
    client.force_login(participant)
    assert client.get("/news/draft/").status_code == 404
    client.force_login(staff)
    assert client.get("/news/draft/").status_code == 200


def test_a_post_reads_in_the_visitors_language_with_fallback(client: Client, posts: list[NewsPost]) -> None:
    client.cookies["faro_language"] = "fr"
    assert "Message de fin d&#x27;année de la CIP 2020" in client.get("/news/holidays/").text
    assert "Port security" in client.get("/news/security/").text


def test_news_search_ignores_accents_and_case(client: Client, posts: list[NewsPost]) -> None:
    response = client.get("/news/", {"q": "PROTECCION"})
    assert "Port security" in response.text
    assert "CIP Holidays" not in response.text
    assert "No news matches" in client.get("/news/", {"q": "zzz"}).text


def test_rss_and_atom_feeds_parse_and_hold_published_posts(client: Client, posts: list[NewsPost]) -> None:
    for url in ["/news/feed/rss/", "/news/feed/atom/"]:
        feed = feedparser.parse(client.get(url).content)
        assert not feed.bozo, feed.bozo_exception
        titles = [entry.title for entry in feed.entries]
        assert titles == ["Port security", "CIP Holidays Message 2020"]
        assert feed.entries[0].link.endswith("/news/security/")


def test_the_feed_follows_the_readers_language(client: Client, posts: list[NewsPost]) -> None:
    client.cookies["faro_language"] = "fr"
    feed = feedparser.parse(client.get("/news/feed/atom/").content)
    assert "Message de fin d'année de la CIP 2020" in [e.title for e in feed.entries]


def test_home_advertises_the_feeds_and_shows_latest_news(client: Client, posts: list[NewsPost]) -> None:
    html = client.get("/").text
    assert 'rel="alternate" type="application/rss+xml"' in html
    assert 'rel="alternate" type="application/atom+xml"' in html
    assert 'rel="alternate" type="text/calendar"' in html
    assert "CIP Holidays Message 2020" in html


def test_scheduled_posts_appear_only_when_their_date_comes(client: Client, db: None) -> None:
    NewsPost.objects.create(
        slug="later", title={"en": "Later"}, body={"en": "x"}, publish_at=timezone.now() + datetime.timedelta(days=1)
    )
    assert "Later" not in client.get("/news/").text
    assert client.get("/news/later/").status_code == 404


@pytest.mark.parametrize("persona", ["partner", "focal_point", "reviewer", "participant", "outsider"])
def test_only_staff_manage_news(
    client: Client, persona: str, request: pytest.FixtureRequest, posts: list[NewsPost]
) -> None:
    client.force_login(request.getfixturevalue(persona))
    assert client.get("/manage/news/").status_code == 404
    assert client.get(f"/manage/news/{posts[0].pk}/").status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client: Client, db: None) -> None:
    assert client.get("/manage/news/").status_code == 302


def _post_data(**extra: Any) -> dict[str, Any]:
    data = {
        "title_0": "Dredging week",
        "title_1": "Semana del dragado",
        "title_2": "",
        "title_3": "",
        "summary_0": "",
        "summary_1": "",
        "summary_2": "",
        "summary_3": "",
        "body_0": "Text",
        "body_1": "Texto",
        "body_2": "",
        "body_3": "",
        "image_alt_0": "",
        "image_alt_1": "",
        "image_alt_2": "",
        "image_alt_3": "",
        "publish_at": "2026-01-05T10:00",
    }
    return {**data, **extra}


def test_staff_write_a_post_with_an_image_checked_by_content(client: Client, staff: User) -> None:
    client.force_login(staff)
    image = SimpleUploadedFile("dredger.png", PNG, content_type="image/png")
    response = client.post("/manage/news/new/", _post_data(image=image, image_alt_0="A dredger"))
    assert response.status_code == 302
    post = NewsPost.objects.get()
    assert post.title == {"en": "Dredging week", "es": "Semana del dragado"}
    assert post.image.name is not None
    assert post.image.name.startswith("news/")
    assert client.get(f"/manage/news/{post.pk}/").status_code == 200


def test_a_fake_image_is_refused_and_nothing_is_saved(client: Client, staff: User) -> None:
    client.force_login(staff)
    fake = SimpleUploadedFile("photo.png", b"<script>alert(1)</script>", content_type="image/png")
    response = client.post("/manage/news/new/", _post_data(image=fake, image_alt_0="x"))
    assert response.status_code == 200
    assert "not an accepted type" in response.text
    assert not NewsPost.objects.exists()


def test_an_image_needs_a_description(client: Client, staff: User) -> None:
    client.force_login(staff)
    image = SimpleUploadedFile("dredger.png", PNG, content_type="image/png")
    response = client.post("/manage/news/new/", _post_data(image=image))
    assert "Describe the image" in response.text
    assert not NewsPost.objects.exists()


def test_the_news_list_pages_and_keeps_the_search(client: Client, db: None) -> None:
    for n in range(12):
        NewsPost.objects.create(
            slug=f"dredging-{n}",
            title={"en": f"Dredging {n}"},
            body={"en": "x"},
            publish_at=timezone.now() - datetime.timedelta(days=n),
        )
    first = client.get("/news/", {"q": "dredging"}).text
    assert "Dredging 0" in first
    assert "Dredging 11" not in first
    assert 'href="?q=dredging&amp;page=2"' in first
    assert "Dredging 11" in client.get("/news/", {"q": "dredging", "page": "2"}).text


def test_the_edit_form_shows_the_publish_date_the_browser_can_read(
    client: Client, staff: User, posts: list[NewsPost]
) -> None:
    client.force_login(staff)
    html = client.get(f"/manage/news/{posts[0].pk}/").text
    assert f'value="{timezone.localtime(posts[0].publish_at):%Y-%m-%dT%H:%M}"' in html
