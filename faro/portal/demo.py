"""Demo: the 2020 programme in figures and two more news posts, and a sample mailing draft. Idempotent."""

import datetime
from collections.abc import Callable

from faro.accounts.models import User
from faro.core.fields import Translated
from faro.portal.demo_content import MORE_POSTS, PROGRAMME_2020, SAMPLE_MAILING
from faro.portal.models import Mailing, NewsPost
from faro.portal.services import save_news_post
from faro.portal.services.mailings import save_mailing


def load(out: Callable[[str], None]) -> None:
    staff = User.objects.filter(roles__role="staff").order_by("pk").first()
    created = 0
    for data in [PROGRAMME_2020, *MORE_POSTS]:
        if NewsPost.objects.filter(slug=data["slug"]).exists():
            continue
        save_news_post(
            NewsPost(),
            acting_user=staff,
            slug=data["slug"],
            title=Translated(data["title"]),
            summary=Translated(data["summary"]),
            body=Translated(data["body"]),
            publish_at=datetime.datetime.fromisoformat(data["publish_at"]),
        )
        created += 1
    subject = Translated(SAMPLE_MAILING["subject"])
    if not Mailing.objects.filter(subject=dict(subject)).exists():
        save_mailing(
            Mailing(),
            acting_user=staff,
            subject=subject,
            body=Translated(SAMPLE_MAILING["body"]),
            category=SAMPLE_MAILING["category"],
            segment=SAMPLE_MAILING["segment"],
        )
    out(f"Portal: {NewsPost.objects.count()} news posts ({created} new), {Mailing.objects.count()} mailing(s).")
