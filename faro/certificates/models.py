"""Certificate templates, certificates, eligibility overrides.

A certificate is issued for one *source* (a course offering, a webinar or a meeting),
referenced generically by content type + object id so that the programme-specific part
lives only in `programme_adapters.py`. One live certificate per (kind, source, holder): a database
constraint, so a bulk issue run twice, or again after a crash, creates no duplicates.
"""

import datetime
import secrets

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from faro.accounts.scope import scope_for
from faro.accounts.usertypes import Viewer
from faro.core.fields import TranslatedField, as_translated
from faro.core.models import TimeStampedModel

# Unambiguous alphabet: no 0/O, 1/I/L. 31 symbols ** 12 = 59 bits of entropy.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 12
CODE_GROUP = 4


def new_code() -> str:
    """A fresh random verification code (stored without separators)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (clamped to the 28th so every month has it)."""
    index = day.month - 1 + months
    return datetime.date(day.year + index // 12, index % 12 + 1, min(day.day, 28))


def format_code(code: str) -> str:
    """'ABCDEFGHJKMN' → 'ABCD-EFGH-JKMN', easier to read aloud and type."""
    return "-".join(code[i : i + CODE_GROUP] for i in range(0, len(code), CODE_GROUP))


def normalise_code(raw: str) -> str | None:
    """The stored form of a typed code (any case, dashes or spaces), or None if malformed."""
    code = "".join(ch for ch in (raw or "").upper() if ch not in "- \t")
    if len(code) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in code):
        return None
    return code


class Kind(models.TextChoices):
    COURSE = "course_completion", _("Course completion")
    WEBINAR = "webinar_participation", _("Webinar participation")
    MEETING = "meeting_attendance", _("Meeting attendance")


class CertificateTemplate(TimeStampedModel):
    """Wording, signatories and logos of one kind of certificate, editable by staff."""

    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    is_default = models.BooleanField(_("default for its kind"), default=False)
    heading = TranslatedField(_("heading"), max_length=120)
    body = TranslatedField(
        _("wording"),
        multiline=True,
        help_text=_("Placeholders: {name} (holder), {achievement} (course, webinar or meeting), {date}."),
    )
    validity_months = models.PositiveSmallIntegerField(
        _("valid for (months)"), null=True, blank=True, help_text=_("Leave empty if the certificate does not expire.")
    )

    class Meta:
        verbose_name = _("certificate template")
        verbose_name_plural = _("certificate templates")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind"], condition=models.Q(is_default=True), name="certificate_template_one_default_per_kind"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def missing_languages(self) -> list[str]:
        """Languages in which the heading or the wording is not written (they fall back)."""
        missing = set(as_translated(self.heading).missing_languages()) | set(
            as_translated(self.body).missing_languages()
        )
        return [code for code, _name in settings.LANGUAGES if code in missing]


class Signatory(models.Model):
    template = models.ForeignKey(
        CertificateTemplate, verbose_name=_("template"), on_delete=models.CASCADE, related_name="signatories"
    )
    name = models.CharField(_("name"), max_length=120)
    title = TranslatedField(pgettext_lazy("job title", "title"), max_length=160)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("signatory")
        verbose_name_plural = _("signatories")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name


class TemplateLogo(models.Model):
    """A partner's logo printed on the certificate (PNG or JPEG, checked by content)."""

    template = models.ForeignKey(
        CertificateTemplate, verbose_name=_("template"), on_delete=models.CASCADE, related_name="logos"
    )
    label = models.CharField(_("institution"), max_length=160)
    image = models.FileField(_("logo"), upload_to="certificates/logos/")
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("logo")
        verbose_name_plural = _("logos")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.label


class EligibilityOverride(TimeStampedModel):
    """Staff add someone the rule missed, or exclude someone, with the reason on record."""

    class Action(models.TextChoices):
        INCLUDE = "include", _("Add")
        EXCLUDE = "exclude", _("Exclude")

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    source_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    source_id = models.PositiveBigIntegerField()
    person = models.ForeignKey("directory.Person", verbose_name=_("person"), on_delete=models.CASCADE, related_name="+")
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    reason = models.TextField(_("reason"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("eligibility override")
        verbose_name_plural = _("eligibility overrides")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "source_type", "source_id", "person"], name="eligibility_override_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.person}"


class CertificateQuerySet(models.QuerySet["Certificate"]):
    def for_user(self, user: Viewer) -> "CertificateQuerySet":
        """Staff see every certificate; anyone else only their own."""
        scope = scope_for(user)
        if scope.is_staff:
            return self.all()
        if scope.person_id:
            return self.filter(holder_id=scope.person_id)
        return self.none()

    def for_source(self, kind: str, source: models.Model) -> "CertificateQuerySet":
        """Certificates of one offering, webinar or meeting."""
        return self.filter(kind=kind, source_type=ContentType.objects.get_for_model(source), source_id=source.pk)

    def issued(self) -> "CertificateQuerySet":
        """Certificates that stand: neither revoked nor replaced by a re-issue (what reports count)."""
        return self.filter(status=Certificate.Status.ISSUED)

    def live(self) -> "CertificateQuerySet":
        """Not replaced by a re-issue (revoked ones still count: they must not come back)."""
        return self.exclude(status=Certificate.Status.REPLACED)


class Certificate(TimeStampedModel):
    """One certificate of one person. What it says is fixed at issue; a correction re-issues it."""

    class Status(models.TextChoices):
        ISSUED = "issued", _("Issued")
        REVOKED = "revoked", _("Revoked")
        REPLACED = "replaced", _("Replaced")

    code = models.CharField(_("verification code"), max_length=CODE_LENGTH, unique=True, default=new_code)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    template = models.ForeignKey(
        CertificateTemplate, verbose_name=_("template"), on_delete=models.PROTECT, related_name="certificates"
    )
    source_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    source_id = models.PositiveBigIntegerField()
    holder = models.ForeignKey(
        "directory.Person", verbose_name=_("holder"), on_delete=models.PROTECT, related_name="certificates"
    )
    holder_name = models.CharField(_("name on the certificate"), max_length=200)
    achievement = TranslatedField(_("achievement"), max_length=300)
    issuer_name = models.CharField(_("issuer"), max_length=300)
    achieved_on = models.DateField(_("date of the achievement"))
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)
    expires_on = models.DateField(_("expires"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ISSUED)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revocation_reason = models.TextField(_("reason for revocation"), blank=True)
    replaced_by = models.OneToOneField(
        "self",
        verbose_name=_("replaced by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replaces",
    )
    mailed_at = models.DateTimeField(_("mailed"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "source_type", "source_id", "holder"],
                condition=~models.Q(status="replaced"),
                name="certificate_one_live_per_holder_and_source",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="revoked") | ~models.Q(revocation_reason=""),
                name="certificate_revocation_needs_reason",
            ),
        ]
        # The second one lets reports count a period's certificates without reading the table.
        indexes = [
            models.Index(fields=["source_type", "source_id", "kind"]),
            models.Index(fields=["status", "achieved_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.display_code} · {self.holder_name}"

    @property
    def is_issued(self) -> bool:
        return self.status == self.Status.ISSUED

    @property
    def display_code(self) -> str:
        return format_code(self.code)

    @property
    def is_expired(self) -> bool:
        return self.expires_on is not None and self.expires_on < timezone.localdate()

    @property
    def state(self) -> str:
        """What the verification page says: valid, expired, revoked or replaced."""
        if self.status != self.Status.ISSUED:
            return self.status
        return "expired" if self.is_expired else "valid"

    @property
    def is_valid(self) -> bool:
        return self.state == "valid"


class SigningKey(models.Model):
    """Faro's Ed25519 private key (PEM), generated once; kept in the database, never under MEDIA_ROOT,
    so no file server can hand it out. `FARO_SIGNING_KEY` in the environment takes precedence."""

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    private_pem = models.TextField(_("private key (PEM)"))

    class Meta:
        verbose_name = _("signing key")
        verbose_name_plural = _("signing keys")

    def __str__(self) -> str:
        return f"Ed25519 key of {self.created_at:%Y-%m-%d}"
