"""Personal API tokens, webhook subscriptions and their delivery log."""

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from faro.accounts.models import User
from faro.accounts.scope import scope_for
from faro.accounts.usertypes import Viewer
from faro.core.models import TimeStampedModel


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def for_user(self, user: Viewer) -> "ApiTokenQuerySet":
        """A user sees only their own tokens."""
        return self.filter(user=user) if isinstance(user, User) else self.none()


class ApiToken(TimeStampedModel):
    """A personal token. Only its SHA-256 digest is stored; the token is shown once."""

    class Scope(models.TextChoices):
        READ = "read", _("Read only")
        WRITE = "write", _("Read and write")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=16, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    scope = models.CharField(_("scope"), max_length=5, choices=Scope.choices, default=Scope.READ)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and not self.is_expired

    @property
    def can_write(self) -> bool:
        return self.scope == self.Scope.WRITE


class WebhookSubscriptionQuerySet(models.QuerySet["WebhookSubscription"]):
    def for_user(self, user: Viewer) -> "WebhookSubscriptionQuerySet":
        """Staff see all; partner coordinators the subscriptions of their institutions."""
        scope = scope_for(user)
        if scope.is_staff:
            return self.all()
        return self.filter(institution_id__in=scope.institution_ids)


class WebhookSubscription(TimeStampedModel):
    """A partner's endpoint that receives signed event payloads about its programmes."""

    institution = models.ForeignKey(
        "directory.Institution", verbose_name=_("institution"), on_delete=models.CASCADE, related_name="+"
    )
    url = models.URLField(_("URL"), max_length=500)
    events = models.JSONField(_("events"), default=list)
    secret = models.CharField(_("signing secret"), max_length=64)
    is_active = models.BooleanField(pgettext_lazy("subscription", "active"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    objects = WebhookSubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")

    def __str__(self) -> str:
        return self.url


class WebhookDelivery(TimeStampedModel):
    """One event sent (or to be sent) to one subscription, with every attempt's outcome."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    subscription = models.ForeignKey(WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(_("event"), max_length=50)
    payload = models.JSONField(_("payload"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True, db_index=True)
    response_code = models.PositiveSmallIntegerField(_("response code"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.event} → {self.subscription}"
