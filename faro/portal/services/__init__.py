"""Writes of the portal: news posts, communication profiles, calendar keys, consent.

Mailings live in `faro.portal.services.mailings`; export, erasure and retention in `services.privacy`, re-exported here.
"""

import datetime
import secrets
from typing import IO, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from faro.accounts.models import User
from faro.accounts.usertypes import Actor
from faro.core.audit import diff, log_action, snapshot
from faro.core.fields import Translated
from faro.core.mail import build_mail
from faro.directory.models import Person, PriorityArea, Topic
from faro.lib.uploads import reencode_image
from faro.portal.models import CalendarToken, ConsentRecord, Mailing, NewsPost, Profile

PRIVACY_NOTICE_VERSION = "2026-11"


def unique_slug(title: Translated, *, exclude_pk: int | None = None) -> str:
    """A slug from the English (or first) title, made unique with a counter."""
    base = slugify(title.in_language("en"))[:70] or "post"
    slug, counter = base, 2
    others = NewsPost.objects.exclude(pk=exclude_pk) if exclude_pk else NewsPost.objects.all()
    while others.filter(slug=slug).exists():
        slug, counter = f"{base}-{counter}", counter + 1
    return slug


@transaction.atomic
def save_news_post(
    post: NewsPost,
    *,
    acting_user: Actor,
    title: Translated,
    body: Translated,
    summary: Translated | None = None,
    image_alt: Translated | None = None,
    publish_at: datetime.datetime | None = None,
    image: IO[bytes] | None = None,
    slug: str = "",
) -> NewsPost:
    """Create (unsaved `post`) or update a news post. The image must already be checked by content."""
    creating = post.pk is None
    before = {} if creating else _post_snapshot(post)
    post.title, post.body = title, body
    post.summary, post.image_alt = summary or Translated(), image_alt or Translated()
    post.publish_at = publish_at
    post.slug = slug or post.slug or unique_slug(title, exclude_pk=post.pk)
    if image is not None:
        post.image = reencode_image(image)  # named by what it is, scripts dropped
    post.save()
    action = "portal.news.created" if creating else "portal.news.updated"
    log_action(post, action, user=acting_user, changes=diff(before, _post_snapshot(post)))
    return post


def _post_snapshot(post: NewsPost) -> dict[str, Any]:
    # snapshot() cannot read an empty FileField, so the image is recorded by name.
    fields = ["slug", "title", "summary", "body", "image_alt", "publish_at"]
    return {**snapshot(post, fields), "image": post.image.name or None}


def profile_for(person: Person) -> Profile:
    """The person's profile, created with defaults on first use."""
    profile, _created = Profile.objects.get_or_create(person=person)
    return profile


@transaction.atomic
def update_profile(
    person: Person,
    *,
    acting_user: Actor,
    priority_areas: list[PriorityArea],
    topics: list[Topic],
    languages: list[str],
    wants: list[str],
    mailings_consent: bool,
) -> Profile:
    """Save a person's interests and what they want to hear about; record consent changes."""
    profile = profile_for(person)
    before = {**snapshot(profile), "priority_areas": _ids(profile.priority_areas), "topics": _ids(profile.topics)}
    profile.languages, profile.wants = sorted(languages), sorted(wants)
    was_subscribed = profile.unsubscribed_at is None
    never_asked = not ConsentRecord.objects.filter(person=person, purpose=ConsentRecord.Purpose.MAILINGS).exists()
    if mailings_consent != was_subscribed or never_asked:
        profile.unsubscribed_at = None if mailings_consent else timezone.now()
        record_consent(person, purpose=ConsentRecord.Purpose.MAILINGS, granted=mailings_consent, source="profile")
    profile.save()
    profile.priority_areas.set(priority_areas)
    profile.topics.set(topics)
    after = {**snapshot(profile), "priority_areas": _ids(profile.priority_areas), "topics": _ids(profile.topics)}
    log_action(profile, "portal.profile.updated", user=acting_user, changes=diff(before, after))
    return profile


def _ids(manager: Any) -> list[int]:
    return sorted(manager.values_list("pk", flat=True))


def record_consent(person: Person, *, purpose: str, granted: bool, source: str) -> ConsentRecord:
    """Append one consent record under the current privacy notice (records are never edited)."""
    return ConsentRecord.objects.create(
        person=person, purpose=purpose, granted=granted, notice_version=PRIVACY_NOTICE_VERSION, source=source
    )


def calendar_token_for(person: Person) -> CalendarToken:
    token, _created = CalendarToken.objects.get_or_create(person=person)
    return token


@transaction.atomic
def renew_calendar_token(person: Person, *, acting_user: Actor) -> CalendarToken:
    """Give the person a new private feed address; the old one stops working at once."""
    token = calendar_token_for(person)
    token.token = secrets.token_urlsafe()
    token.save(update_fields=["token", "updated_at"])
    log_action(token, "portal.calendar_token.renewed", user=acting_user)
    return token


@transaction.atomic
def send_test_mailing(mailing: Mailing, *, acting_user: User) -> str:
    """Mail the draft to the acting staff member only, in their language, marked as a test; the
    address it went to. Nothing is recorded as delivered: recipients are chosen when it is sent."""
    from faro.portal.services.mailings import delivered_language  # mailings builds on these services

    person = acting_user.person
    language = delivered_language(mailing, person.preferred_language if person else settings.LANGUAGE_CODE)
    context = {
        "subject": "[TEST] " + mailing.subject.in_language(language),
        "body": mailing.body.in_language(language),
        "unsubscribe_url": settings.SITE_URL,
        "person": person,
    }
    email = str(acting_user.email)
    log_action(mailing, "portal.mailing.test_sent", user=acting_user, data={"to": email, "language": language})
    transaction.on_commit(lambda: build_mail("portal/emails/mailing", context, to=email, language=language).send())
    return email


from faro.portal.services.privacy import (  # noqa: E402, F401  re-exported: one import path for callers
    ErasureRefused,
    apply_retention,
    erase_person,
    erasure_blockers,
    export_person_data,
    retention_rules,
)
