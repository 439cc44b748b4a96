"""Shared base model, the audit log and background-job progress."""

import datetime
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def for_object(self, obj: models.Model) -> "AuditEntryQuerySet":
        """Every entry about one object, newest first."""
        content_type = ContentType.objects.get_for_model(obj)
        return (
            self.filter(content_type=content_type, object_id=str(obj.pk))
            .select_related("actor", "content_type")  # each entry's changes are read through its model
            .order_by("-created_at", "-pk")
        )


class AuditEntry(models.Model):
    """Who did what to which object, with the fields that changed. Written only by services."""

    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=100, db_index=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(_("object"), max_length=200)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [models.Index(fields=["content_type", "object_id", "created_at"])]

    def __str__(self) -> str:
        return f"{self.action} {self.object_repr}"

    @property
    def action_label(self) -> str:
        """The action in words, in the active language ("Updated" for "directory.institution.updated")."""
        from faro.core.audit import action_label  # audit imports this module

        return action_label(self.action)

    def readable_changes(self) -> list[Any]:
        """The changed fields with their labels and display values, in the active language."""
        from faro.core.history import readable_changes  # history imports this module

        return readable_changes(self)


class Job(TimeStampedModel):
    """Progress of one background job (bulk certificates, mailings, imports).

    The worker beats `heartbeat_at` as it goes; a job that is not finished and whose heartbeat
    is older than `settings.FARO_JOB_STALLED_AFTER` seconds is stalled (its worker died) and can
    be resumed: `task` with `args` is queued again, and every job task finishes only the rest.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=60)
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(_("total"), default=0)
    done = models.PositiveIntegerField(_("done"), default=0)
    message = models.TextField(_("message"), blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    task = models.CharField(_("task"), max_length=200, blank=True)
    args = models.JSONField(_("arguments"), default=list, blank=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")

    def __str__(self) -> str:
        return self.title

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0

    @property
    def finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}

    @property
    def stalled(self) -> bool:
        """Not finished, and no sign of life from its worker for a while: the worker died."""
        if self.finished:
            return False
        last = self.heartbeat_at or self.created_at
        return timezone.now() - last > datetime.timedelta(seconds=settings.FARO_JOB_STALLED_AFTER)

    @property
    def resumable(self) -> bool:
        return bool(self.task) and (self.stalled or self.status == self.Status.FAILED)

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "done": self.done,
            "total": self.total,
            "percent": self.percent,
            "stalled": self.stalled,
        }


class OutboxMessage(models.Model):
    """A side effect of a write (a mail, a task), saved in the write's transaction, relayed after.

    `faro.core.outbox` writes, relays and delivers these; each is claimed by one worker before it
    runs, so an outage of the broker or the mail server delays it and never drops or doubles it.
    """

    class Kind(models.TextChoices):
        MAIL = "mail", _("Mail")
        TASK = "task", _("Task")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Delivered")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    task = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list, blank=True)
    kwargs = models.JSONField(_("keyword arguments"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    relayed_at = models.DateTimeField(_("handed to the broker"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due")]

    def __str__(self) -> str:
        return f"{self.kind} {self.task} ({self.status})"
