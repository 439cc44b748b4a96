import datetime

import pytest
from django.test import Client

from faro.portal import demo
from faro.portal.models import Mailing, NewsPost
from faro.portal.services.mailings import preview_mailing

pytestmark = pytest.mark.django_db


def test_the_demo_loads_the_2020_figures_in_four_languages_and_is_idempotent(client: Client) -> None:
    demo.load(lambda line: None)
    demo.load(lambda line: None)
    assert NewsPost.objects.count() == 3
    post = NewsPost.objects.get(slug="training-programme-2020-in-figures")
    assert post.publish_at is not None
    assert post.publish_at.date() == datetime.date(2020, 12, 15)
    assert post.title.missing_languages() == []
    assert post.body.missing_languages() == []
    assert "401" in post.body["fr"]
    assert "Buenos Aires" in post.body["es"]
    client.cookies["faro_language"] = "pt"
    assert "2020 em números" in client.get("/news/").text


def test_the_demo_news_does_not_reuse_the_secretariats_published_sentences() -> None:
    """Faro states the facts in its own words: no run of eight words from the published message."""
    from pathlib import Path

    from django.conf import settings

    from faro.portal.demo_content import MORE_POSTS, PROGRAMME_2020

    seed = Path(settings.BASE_DIR).parent.parent / "shared" / "seed" / "cip-holidays-message-2020.txt"
    if not seed.exists():
        pytest.skip("the published message is not on this machine")
    words = seed.read_text().lower().split()
    published = {" ".join(words[i : i + 8]) for i in range(len(words) - 7)}
    for post in [PROGRAMME_2020, *MORE_POSTS]:
        for field in ("title", "summary", "body"):
            for language, text in post[field].items():
                ours = text.lower().split()
                runs = {" ".join(ours[i : i + 8]) for i in range(len(ours) - 7)}
                assert not runs & published, (post["slug"], field, language)


def test_the_demo_mailing_is_a_draft_missing_french(languages: list[str]) -> None:
    demo.load(lambda line: None)
    mailing = Mailing.objects.get()
    assert mailing.status == "draft"
    assert mailing.subject.missing_languages() == ["fr"]
    assert "fr" in preview_mailing(mailing).untranslated
