"""Feeds: news as RSS and Atom (django.contrib.syndication), activities as iCalendar."""

import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from faro.lib.ics import ICS_CONTENT_TYPE, calendar_bytes
from faro.portal.activity_queries import to_events
from faro.portal.activity_sources import Activity
from faro.portal.models import NewsPost

FEED_SIZE = 20


class NewsRssFeed(Feed[NewsPost, None]):
    """The latest published posts, in the language the visitor reads the site in."""

    link = reverse_lazy("portal:news")

    def title(self) -> str:
        return _("CIP news")

    def description(self) -> str:
        return _("News from the Secretariat of the Inter-American Committee on Ports.")

    def items(self) -> list[NewsPost]:
        return list(NewsPost.objects.published()[:FEED_SIZE])

    def item_title(self, item: NewsPost) -> str:
        return str(item.title)

    def item_description(self, item: NewsPost) -> str:
        return str(item.summary) or str(item.body)[:400]

    def item_pubdate(self, item: NewsPost) -> datetime.datetime | None:
        return item.publish_at

    def item_updateddate(self, item: NewsPost) -> datetime.datetime:
        return item.updated_at

    def item_guid(self, item: NewsPost) -> str:
        return f"{settings.SITE_URL}{reverse('portal:news_detail', kwargs={'slug': item.slug})}"


class NewsAtomFeed(NewsRssFeed):
    feed_type = Atom1Feed

    def subtitle(self) -> str:
        return self.description()


def ics_response(activities: list[Activity], *, name: str, filename: str) -> HttpResponse:
    """An iCalendar file calendar apps can subscribe to."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    body = calendar_bytes(to_events(activities, language), name=name)
    response = HttpResponse(body, content_type=ICS_CONTENT_TYPE)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def feed_links(request: HttpRequest) -> dict[str, str]:
    """Absolute feed addresses, for `<link rel="alternate">` and the subscribe links."""
    return {
        "rss": request.build_absolute_uri(reverse("portal:news_rss")),
        "atom": request.build_absolute_uri(reverse("portal:news_atom")),
        "ics": request.build_absolute_uri(reverse("portal:calendar_ics")),
    }
