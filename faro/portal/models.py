"""The portal's records: news posts, people's communication profiles, mailings, privacy."""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from faro.accounts.scope import scope_for
from faro.accounts.usertypes import Viewer
from faro.core.fields import TranslatedField
from faro.core.models import TimeStampedModel
from faro.lib.text import fold


class NewsPostQuerySet(models.QuerySet["NewsPost"]):
    def published(self) -> "NewsPostQuerySet":
        """Posts whose publish date has come, newest first."""
        return self.filter(publish_at__isnull=False, publish_at__lte=timezone.now()).order_by("-publish_at", "-pk")

    def for_user(self, user: Viewer) -> "NewsPostQuerySet":
        """Staff see drafts and scheduled posts too; everyone else only what is published."""
        return self.all() if scope_for(user).is_staff else self.published()


class NewsPost(TimeStampedModel):
    """A news post in up to four languages. No publish date means a draft."""

    slug = models.SlugField(_("address"), max_length=80, unique=True)
    title = TranslatedField(_("title"), max_length=200)
    summary = TranslatedField(_("summary"), multiline=True, blank=True)
    body = TranslatedField(_("text"), multiline=True)
    image = models.FileField(_("image"), upload_to="news/", blank=True)
    image_alt = TranslatedField(
        _("image description"), blank=True, help_text=_("What the image shows, for screen readers.")
    )
    publish_at = models.DateTimeField(_("publish on"), null=True, blank=True, db_index=True)

    objects = NewsPostQuerySet.as_manager()

    class Meta:
        verbose_name = _("news post")
        verbose_name_plural = _("news posts")
        ordering = ["-publish_at", "-pk"]

    def __str__(self) -> str:
        return str(self.title)

    def get_absolute_url(self) -> str:
        return reverse("portal:news_detail", kwargs={"slug": self.slug})

    @property
    def is_published(self) -> bool:
        return self.publish_at is not None and self.publish_at <= timezone.now()

    def search_text(self) -> str:
        """Title, summary and text in every language, folded (no accents, no case)."""
        return fold(" ".join([*self.title.values(), *self.summary.values(), *self.body.values()]))


class Interest(models.TextChoices):
    """What a person may want to be told about; also the category of a mailing."""

    NEWS = "news", _("News from the Secretariat")
    COURSES = "courses", _("Courses")
    CALLS = "calls", _("Scholarship calls")
    WEBINARS = "webinars", _("Webinars")
    MEETINGS = "meetings", _("Meetings")


def all_interests() -> list[str]:
    return [choice.value for choice in Interest]


class Profile(TimeStampedModel):
    """A person's interests, languages and what they want to be told about."""

    person = models.OneToOneField(
        "directory.Person", verbose_name=_("person"), on_delete=models.CASCADE, related_name="portal_profile"
    )
    priority_areas = models.ManyToManyField(
        "directory.PriorityArea", verbose_name=_("priority areas"), blank=True, related_name="+"
    )
    topics = models.ManyToManyField("directory.Topic", verbose_name=_("topics"), blank=True, related_name="+")
    languages = models.JSONField(_("languages I work in"), default=list, blank=True)
    wants = models.JSONField(_("tell me about"), default=all_interests, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed from all mailings"), null=True, blank=True)
    bounced_at = models.DateTimeField(_("address bounced"), null=True, blank=True)

    class Meta:
        verbose_name = _("communication profile")
        verbose_name_plural = _("communication profiles")

    def __str__(self) -> str:
        return str(self.person)


class CalendarToken(TimeStampedModel):
    """The unguessable key of a person's private calendar feed. Replacing it revokes the old address."""

    person = models.OneToOneField(
        "directory.Person", verbose_name=_("person"), on_delete=models.CASCADE, related_name="calendar_token"
    )
    token = models.CharField(_("key"), max_length=64, unique=True, default=secrets.token_urlsafe)

    class Meta:
        verbose_name = _("calendar feed key")
        verbose_name_plural = _("calendar feed keys")

    def __str__(self) -> str:
        return f"{self.person_id}"


class MailingQuerySet(models.QuerySet["Mailing"]):
    def for_user(self, user: Viewer) -> "MailingQuerySet":
        """Only the Secretariat composes and sees mailings."""
        return self.all() if scope_for(user).is_staff else self.none()


class Mailing(TimeStampedModel):
    """A message to a segment of people, written in up to four languages."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")

    subject = TranslatedField(_("subject"), max_length=200)
    body = TranslatedField(_("message"), multiline=True)
    category = models.CharField(_("category"), max_length=20, choices=Interest.choices, default=Interest.NEWS)
    segment = models.JSONField(_("segment"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    job = models.ForeignKey("core.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    recipient_count = models.PositiveIntegerField(_("recipients"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = MailingQuerySet.as_manager()

    class Meta:
        verbose_name = _("mailing")
        verbose_name_plural = _("mailings")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return str(self.subject)

    @property
    def is_sending(self) -> bool:
        return self.status == self.Status.SENDING

    def get_absolute_url(self) -> str:
        return reverse("portal:manage_mailing", kwargs={"pk": self.pk})


class MailingRecipient(models.Model):
    """One person a mailing went (or goes) to, in the language they got it in."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        SKIPPED = "skipped", _("Skipped (unsubscribed)")
        FAILED = "failed", _("Failed")
        BOUNCED = "bounced", _("Bounced")

    mailing = models.ForeignKey(Mailing, verbose_name=_("mailing"), on_delete=models.CASCADE, related_name="recipients")
    person = models.ForeignKey(
        "directory.Person", verbose_name=_("person"), on_delete=models.CASCADE, related_name="mailings_received"
    )
    email = models.EmailField(_("email"), blank=True)
    language = models.CharField(_("language"), max_length=5)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)

    class Meta:
        verbose_name = _("mailing recipient")
        verbose_name_plural = _("mailing recipients")
        ordering = ["mailing", "pk"]
        constraints = [models.UniqueConstraint(fields=["mailing", "person"], name="mailing_recipient_once")]

    def __str__(self) -> str:
        return f"{self.mailing_id} → {self.person_id}"


class DeliveryEvent(models.Model):
    """An unsubscribe or a bounce, as it was recorded."""

    class Kind(models.TextChoices):
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")
        BOUNCED = "bounced", _("Bounced")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    person = models.ForeignKey(
        "directory.Person",
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="delivery_events",
    )
    mailing = models.ForeignKey(
        Mailing, verbose_name=_("mailing"), null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    email = models.EmailField(_("email"), blank=True)
    detail = models.TextField(_("detail"), blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("delivery event")
        verbose_name_plural = _("delivery events")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.email}"


class ConsentRecord(models.Model):
    """A person said yes (or withdrew it) to one purpose, under one version of the privacy notice."""

    class Purpose(models.TextChoices):
        MAILINGS = "mailings", _("Receive mailings from the Secretariat")
        PROFILE = "profile", _("Keep my interests to suggest activities")

    person = models.ForeignKey(
        "directory.Person", verbose_name=_("person"), on_delete=models.CASCADE, related_name="consents"
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    granted = models.BooleanField(_("granted"))
    notice_version = models.CharField(_("privacy notice version"), max_length=20)
    source = models.CharField(_("how"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.person_id} {self.purpose} {self.granted}"
