import datetime
from typing import Any

import pytest
from django.test import Client

from faro.portal import demo
from faro.portal.models import Mailing, NewsPost
from faro.portal.services.mailings import preview_mailing

pytestmark = pytest.mark.django_db


def test_the_demo_loads_the_2020_message_in_four_languages_and_is_idempotent(client: Client) -> None:
    demo.load(lambda line: None)
    demo.load(lambda line: None)
    assert NewsPost.objects.count() == 3
    post = NewsPost.objects.get(slug="cip-holidays-message-2020")
    assert post.publish_at.date() == datetime.date(2020, 12, 15)
    assert post.title.missing_languages() == [] and post.body.missing_languages() == []
    assert "401" in post.body["fr"] and "Buenos Aires" in post.body["es"]
    client.cookies["faro_language"] = "pt"
    assert "Mensagem de boas festas da CIP 2020" in client.get("/news/").text


def test_the_demo_mailing_is_a_draft_missing_french(languages: Any) -> None:
    demo.load(lambda line: None)
    mailing = Mailing.objects.get()
    assert mailing.status == "draft"
    assert mailing.subject.missing_languages() == ["fr"]
    assert "fr" in preview_mailing(mailing).untranslated
