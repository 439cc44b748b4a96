"""Webinars, their speakers and extra questions, registrations with a waitlist, attendance and surveys."""

import datetime
import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce, Concat, Trim
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from faro.accounts.scope import scope_for
from faro.accounts.usertypes import Viewer
from faro.core.fields import TranslatedField
from faro.core.models import TimeStampedModel
from faro.directory.models import Institution, MemberState, Person, PriorityArea, Topic, country_name
from faro.lib.collation import language_names
from faro.lib.wording import agreeing


class WebinarQuerySet(models.QuerySet["Webinar"]):
    def public(self) -> "WebinarQuerySet":
        """Webinars anyone may see: published, held or closed (drafts and cancelled ones are hidden)."""
        return self.filter(status__in=Webinar.PUBLIC_STATUSES)

    def held(self) -> "WebinarQuerySet":
        """Webinars that took place (held, or closed after their attendance was imported)."""
        return self.filter(status__in=Webinar.HELD_STATUSES)

    def upcoming(self) -> "WebinarQuerySet":
        return self.filter(status=Webinar.Status.PUBLISHED, ends_at__gte=timezone.now()).order_by("starts_at")

    def managed_by(self, user: Viewer) -> "WebinarQuerySet":
        """Staff manage every webinar; partner coordinators those their institution co-organises."""
        scope = scope_for(user)
        if scope.is_staff:
            return self.all()
        if scope.institution_ids:
            return self.filter(pk__in=self.filter(partners__in=scope.institution_ids).values("pk"))
        return self.none()

    def for_user(self, user: Viewer) -> "WebinarQuerySet":
        """Staff: all; partner coordinators: co-organised; participants: the ones they registered for."""
        scope = scope_for(user)
        if scope.is_staff:
            return self.all()
        visible = models.Q(pk__in=[])
        if scope.institution_ids:
            visible |= models.Q(partners__in=scope.institution_ids)
        if scope.person_id:
            visible |= models.Q(registrations__person_id=scope.person_id)
        return self.filter(pk__in=self.filter(visible).values("pk"))

    def visible_to(self, user: Viewer) -> "WebinarQuerySet":
        """What a public page may show this viewer: the public ones plus their own."""
        return self.filter(
            models.Q(pk__in=self.public().values("pk")) | models.Q(pk__in=self.for_user(user).values("pk"))
        )


class Webinar(TimeStampedModel):
    """An online session co-organised with partner institutions. Times are stored in UTC."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        HELD = "held", _("Held")
        CLOSED = "closed", _("Closed")
        CANCELLED = "cancelled", _("Cancelled")

    class Platform(models.TextChoices):
        ZOOM = "zoom", _("Zoom")
        TEAMS = "teams", _("Microsoft Teams")
        OTHER = "other", pgettext_lazy("platform", "Other")

    class AttendedRule(models.TextChoices):
        MINUTES = "minutes", _("Minimum minutes attended")
        SHARE = "share", _("Minimum share of the duration (%)")

    PUBLIC_STATUSES = (Status.PUBLISHED, Status.HELD, Status.CLOSED)
    HELD_STATUSES = (Status.HELD, Status.CLOSED)

    title = TranslatedField(_("title"), max_length=200)
    description = TranslatedField(_("description"), multiline=True, blank=True)
    priority_area = models.ForeignKey(
        PriorityArea,
        verbose_name=_("priority area"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="webinars",
    )
    topics = models.ManyToManyField(Topic, verbose_name=_("topics"), blank=True, related_name="webinars")
    partners = models.ManyToManyField(
        Institution, verbose_name=_("co-organising partners"), blank=True, related_name="webinars"
    )
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES, default="es")
    interpretation_languages = models.JSONField(_("interpretation into"), default=list, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    capacity = models.PositiveIntegerField(_("capacity"), default=500)
    platform = models.CharField(_("platform"), max_length=10, choices=Platform.choices, default=Platform.ZOOM)
    join_url = models.URLField(_("join link"), max_length=500, blank=True)
    recording_url = models.URLField(_("recording"), max_length=500, blank=True)
    materials_url = models.URLField(_("materials"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    attended_rule = models.CharField(
        _("attended rule"), max_length=10, choices=AttendedRule.choices, default=AttendedRule.SHARE
    )
    attended_threshold = models.PositiveIntegerField(
        _("attended threshold"), default=50, help_text=_("Minutes, or a percentage of the duration.")
    )
    sequence = models.PositiveIntegerField(_("calendar revision"), default=0)
    # Kept by the database, never by Python: triggers on registrations add and subtract the confirmed
    # ones (migration 0008), so knowing the seats taken costs one column instead of counting every
    # registration on every page and POST. A save never writes it (see `save`).
    confirmed_registrations = models.IntegerField(_("confirmed registrations"), default=0, editable=False)

    objects = WebinarQuerySet.as_manager()

    class Meta:
        verbose_name = _("webinar")
        verbose_name_plural = _("webinars")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="webinar_ends_after_start"
            ),
            models.CheckConstraint(
                condition=~models.Q(attended_rule="share") | models.Q(attended_threshold__lte=100),
                name="webinar_share_at_most_100",
            ),
        ]
        indexes = [models.Index(fields=["status", "starts_at"])]

    def __str__(self) -> str:
        return str(self.title)

    def get_absolute_url(self) -> str:
        return reverse("webinars:webinar", args=[self.pk])

    def get_manage_url(self) -> str:
        return reverse("webinars:manage_webinar", args=[self.pk])

    @property
    def is_held(self) -> bool:
        return self.status in self.HELD_STATUSES

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def is_awaiting_close(self) -> bool:
        """Held and not yet closed (closing ends the survey and the certificates' window)."""
        return self.status == self.Status.HELD

    @property
    def is_cancellable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.PUBLISHED)

    @property
    def is_open_for_registration(self) -> bool:
        return self.is_open_for_registration_at(timezone.now())

    def is_open_for_registration_at(self, moment: datetime.datetime) -> bool:
        return self.status == self.Status.PUBLISHED and self.ends_at > moment

    @property
    def duration_minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)

    @property
    def attended_minimum(self) -> int:
        """Minutes a person must attend to count as having attended."""
        if self.attended_rule == self.AttendedRule.MINUTES:
            return self.attended_threshold
        return -(-self.duration_minutes * self.attended_threshold // 100)  # ceiling

    def attended_people(self) -> models.QuerySet[Person]:
        """People who attended (hosts and panelists excluded) at least the attended rule's minimum."""
        here = Attendance.objects.filter(webinar=self).attendees().filter(minutes__gte=self.attended_minimum)
        return Person.objects.filter(pk__in=here.values("person"))

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Save every field but the seat count, which the database keeps (a stale copy must not undo it)."""
        if not self._state.adding and kwargs.get("update_fields") is None:
            fields = self._meta.concrete_fields
            kwargs["update_fields"] = [
                f.name for f in fields if not f.primary_key and f.name != "confirmed_registrations"
            ]
        super().save(*args, **kwargs)

    def confirmed_count(self) -> int:
        """Confirmed registrations now: the count the database keeps, read again from the row (this
        instance's `confirmed_registrations` is as of when it was read)."""
        return type(self).objects.values_list("confirmed_registrations", flat=True).get(pk=self.pk)

    def seats_left(self) -> int:
        """Seats not yet taken, from the count the database keeps (as of when this row was read)."""
        return max(self.capacity - self.confirmed_registrations, 0)

    def interpretation_language_names(self) -> list[str]:
        return language_names(self.interpretation_languages)


class Speaker(models.Model):
    class Role(models.TextChoices):
        SPEAKER = "speaker", _("Speaker")
        MODERATOR = "moderator", _("Moderator")

    webinar = models.ForeignKey(Webinar, verbose_name=_("webinar"), on_delete=models.CASCADE, related_name="speakers")
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.SPEAKER)
    # The directory's choices: "moderadora" / "moderador" where known, neutral wording when blank.
    gender = models.CharField(
        _("gender"),
        max_length=20,
        choices=Person.Gender.choices,
        blank=True,
        help_text=_("Optional: makes role words agree in Spanish, Portuguese and French."),
    )
    institution = models.CharField(_("institution"), max_length=200, blank=True)
    country_code = models.CharField(_("country"), max_length=2, blank=True, help_text=_("ISO 3166 code, e.g. MX"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")
        ordering = ["webinar", "-role", "order", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def country_name(self) -> str:
        return country_name(self.country_code) if self.country_code else ""

    @property
    def role_label(self) -> str:
        """The role in lower case, agreeing with the speaker's gender where it is known ("moderadora",
        "modérateur"), else neutral wording ("moderación")."""
        if self.role == self.Role.MODERATOR:
            return agreeing(
                self,
                woman=pgettext("woman", "moderator"),
                man=pgettext("man", "moderator"),
                neutral=gettext("moderator"),
            )
        return agreeing(
            self, woman=pgettext("woman", "speaker"), man=pgettext("man", "speaker"), neutral=gettext("speaker")
        )


class Question(models.Model):
    """An extra question a webinar asks on its registration form."""

    webinar = models.ForeignKey(Webinar, verbose_name=_("webinar"), on_delete=models.CASCADE, related_name="questions")
    label = TranslatedField(_("question"), max_length=300)
    required = models.BooleanField(_("required"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("registration question")
        verbose_name_plural = _("registration questions")
        ordering = ["webinar", "order", "pk"]

    def __str__(self) -> str:
        return str(self.label)


class RegistrationQuerySet(models.QuerySet["Registration"]):
    def for_user(self, user: Viewer) -> "RegistrationQuerySet":
        """Staff: all; partner coordinators: their co-organised webinars'; participants: their own."""
        scope = scope_for(user)
        if scope.is_staff:
            return self.all()
        visible = models.Q(pk__in=[])
        if scope.institution_ids:
            visible |= models.Q(webinar__in=Webinar.objects.filter(partners__in=scope.institution_ids).values("pk"))
        if scope.person_id:
            visible |= models.Q(person_id=scope.person_id)
        return self.filter(visible)

    def active(self) -> "RegistrationQuerySet":
        """Confirmed or waitlisted: not cancelled."""
        return self.exclude(status=Registration.Status.CANCELLED)

    def upcoming(self) -> "RegistrationQuerySet":
        """Active registrations for webinars that are not cancelled and have not ended yet."""
        active = self.active().exclude(webinar__status=Webinar.Status.CANCELLED)
        return active.filter(webinar__ends_at__gte=timezone.now())

    def shown_to(self, user: Viewer) -> "RegistrationQuerySet":
        """Each registration annotated with `person_visible` (the viewer's scope covers the person) and
        the person's details as the viewer may see them: `shown_name`, `shown_member_state_code` and
        `shown_position` are the directory's when the scope covers the person, else what was entered at
        registration (the name falling back to the address) — the rule of a meeting's
        `Participant.name_for`, in the database so lists, filters, searches and exports agree."""
        directory = {
            "shown_name": Trim(Concat("person__first_name", models.Value(" "), "person__last_name")),
            "shown_member_state_code": models.F("person__member_state__code"),
            "shown_position": models.F("person__position"),
        }
        if scope_for(user).is_staff:  # staff cover everyone: no per-row check
            return self.annotate(person_visible=models.Value(True), **directory)
        entered = {
            "shown_name": models.Case(
                models.When(entered_name="", then=Coalesce("person__email", models.Value(""))),
                default=models.F("entered_name"),
                output_field=models.CharField(),
            ),
            "shown_member_state_code": models.F("entered_member_state__code"),
            "shown_position": models.F("entered_position"),
        }
        covered = Person.objects.for_user(user).filter(pk=models.OuterRef("person_id"))
        return self.annotate(person_visible=models.Exists(covered)).annotate(
            **{
                name: models.Case(
                    models.When(person_visible=True, then=value), default=entered[name], output_field=models.CharField()
                )
                for name, value in directory.items()
            }
        )


def new_key() -> str:
    return uuid.uuid4().hex


class Registration(TimeStampedModel):
    """One person's place (or waitlist spot) in one webinar. One row per person and webinar."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("Waitlisted")
        CANCELLED = "cancelled", _("Cancelled")

    webinar = models.ForeignKey(
        Webinar, verbose_name=_("webinar"), on_delete=models.CASCADE, related_name="registrations"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="webinar_registrations"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    # The name as the registrant, partner or staff typed it when registering: what viewers whose scope
    # does not cover the person are shown (the directory's record of a known address is not theirs to read).
    entered_name = models.CharField(_("name as entered"), max_length=300, blank=True)
    # The member state and position typed with it, shown by the same rule (`RegistrationQuerySet.shown_to`).
    entered_member_state = models.ForeignKey(
        MemberState,
        verbose_name=_("member state as entered"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    entered_position = models.CharField(_("position as entered"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES, default="en")
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    consented_at = models.DateTimeField(_("privacy consent given"))
    waitlisted_at = models.DateTimeField(_("waitlisted"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    reminded_24h_at = models.DateTimeField(_("24-hour reminder sent"), null=True, blank=True)
    reminded_1h_at = models.DateTimeField(_("1-hour reminder sent"), null=True, blank=True)
    key = models.CharField(max_length=32, default=new_key, editable=False)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["webinar", "created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["webinar", "person"], name="registration_once_per_webinar")]
        indexes = [models.Index(fields=["webinar", "status", "waitlisted_at"])]

    def __str__(self) -> str:
        return f"{self.person} — {self.webinar}"

    @property
    def shown_member_state_name(self) -> str:
        """The name of the member state the viewer may see, on a row read through `shown_to`."""
        code = getattr(self, "shown_member_state_code", None)
        return country_name(code) if code else ""

    @property
    def is_confirmed(self) -> bool:
        return self.status == self.Status.CONFIRMED

    @property
    def is_waitlisted(self) -> bool:
        return self.status == self.Status.WAITLISTED

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED


class MinutesBetween(models.Func):
    """Whole minutes from the first datetime to the second, in the database (`duration_minutes`)."""

    arity = 2
    output_field = models.IntegerField()

    def _parts(self, compiler: Any, connection: Any) -> tuple[str, str, tuple[Any, ...]]:
        start, end = (compiler.compile(expression) for expression in self.get_source_expressions())
        return start[0], end[0], (*start[1], *end[1])

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, tuple[Any, ...]]:
        start, end, params = self._parts(compiler, connection)
        return f"FLOOR(EXTRACT(EPOCH FROM ({end} - {start})) / 60)::integer", params

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, tuple[Any, ...]]:
        start, end, params = self._parts(compiler, connection)
        seconds = f"(CAST(strftime('%%s', {end}) AS INTEGER) - CAST(strftime('%%s', {start}) AS INTEGER))"
        return f"({seconds} / 60)", params


def attended_minimum(webinar: str = "") -> models.Case:
    """`Webinar.attended_minimum` as a database expression over the webinar at path `webinar`."""
    at = f"{webinar}__" if webinar else ""
    duration = MinutesBetween(models.F(f"{at}starts_at"), models.F(f"{at}ends_at"))
    share = (duration * models.F(f"{at}attended_threshold") + 99) / 100  # ceiling, as the property
    return models.Case(
        models.When(**{f"{at}attended_rule": Webinar.AttendedRule.MINUTES}, then=models.F(f"{at}attended_threshold")),
        default=share,
        output_field=models.IntegerField(),
    )


class AttendanceQuerySet(models.QuerySet["Attendance"]):
    def attendees(self) -> "AttendanceQuerySet":
        """People in the audience, however long they stayed (hosts, panelists and presenters excluded)."""
        return self.filter(role=Attendance.Role.ATTENDEE)

    def attended(self) -> "AttendanceQuerySet":
        """Attendees who stayed at least their webinar's attendance rule's minimum: the webinars'
        one definition of "attended" (`Attendance.attended`), for pages, certificates and reports."""
        return self.attendees().filter(minutes__gte=attended_minimum("webinar"))


class AttendanceImport(TimeStampedModel):
    """One uploaded attendance file: previewed first, then applied (or left as a preview)."""

    class Status(models.TextChoices):
        PREVIEW = "preview", _("Preview")
        APPLIED = "applied", _("Applied")

    webinar = models.ForeignKey(
        Webinar, verbose_name=_("webinar"), on_delete=models.CASCADE, related_name="attendance_imports"
    )
    file = models.FileField(_("file"), upload_to="webinars/attendance/")
    filename = models.CharField(_("file name"), max_length=255, blank=True)
    sha256 = models.CharField(max_length=64, db_index=True)
    format = models.CharField(pgettext_lazy("file", "format"), max_length=20, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PREVIEW)
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("attendance import")
        verbose_name_plural = _("attendance imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.filename or f"#{self.pk}"


class Attendance(models.Model):
    """Minutes one person spent in one webinar, with their role there (hosts are kept apart)."""

    class Role(models.TextChoices):
        ATTENDEE = "attendee", _("Attendee")
        HOST = "host", _("Host")
        PANELIST = "panelist", _("Panelist")
        PRESENTER = "presenter", _("Presenter")
        ORGANIZER = "organizer", _("Organizer")

    webinar = models.ForeignKey(
        Webinar, verbose_name=_("webinar"), on_delete=models.CASCADE, related_name="attendances"
    )
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="attendances")
    registration = models.ForeignKey(
        Registration, verbose_name=_("registration"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.ATTENDEE)
    minutes = models.PositiveIntegerField(_("minutes attended"))
    joins = models.PositiveIntegerField(_("joins"), default=1)
    source = models.ForeignKey(
        AttendanceImport, verbose_name=_("imported from"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    survey_sent_at = models.DateTimeField(_("survey sent"), null=True, blank=True)

    objects = AttendanceQuerySet.as_manager()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        ordering = ["webinar", "-minutes", "pk"]
        constraints = [models.UniqueConstraint(fields=["webinar", "person"], name="attendance_once_per_webinar")]
        # Reports count unique attendees across webinars: COUNT(DISTINCT person) by role; the
        # attendees of a period's webinars come from (webinar, role, person) without the table.
        indexes = [
            models.Index(fields=["role", "person"]),
            models.Index(fields=["person", "webinar"]),
            models.Index(fields=["webinar", "role", "person"]),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.minutes} min"

    def attended(self, webinar: Webinar | None = None) -> bool:
        rule_owner = webinar or self.webinar
        return self.role == self.Role.ATTENDEE and self.minutes >= rule_owner.attended_minimum


class SurveyResponse(TimeStampedModel):
    """One attendee's satisfaction ratings (1–5) and comment on one webinar."""

    RATINGS = ("overall", "content", "speakers", "organisation", "usefulness")

    webinar = models.ForeignKey(
        Webinar, verbose_name=_("webinar"), on_delete=models.CASCADE, related_name="survey_responses"
    )
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="+")
    overall = models.PositiveSmallIntegerField(_("overall satisfaction"))
    content = models.PositiveSmallIntegerField(_("content"))
    speakers = models.PositiveSmallIntegerField(_("speakers"))
    organisation = models.PositiveSmallIntegerField(_("organisation and platform"))
    usefulness = models.PositiveSmallIntegerField(_("usefulness for my work"))
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        constraints = [
            models.UniqueConstraint(fields=["webinar", "person"], name="survey_once_per_webinar"),
            *[
                models.CheckConstraint(
                    condition=models.Q(**{f"{name}__gte": 1, f"{name}__lte": 5}), name=f"survey_{name}_1_to_5"
                )
                for name in ("overall", "content", "speakers", "organisation", "usefulness")
            ],
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.webinar}: {self.overall}/5"

    @classmethod
    def rating_label(cls, name: str) -> str:
        return str(cls._meta.get_field(name).verbose_name)  # type: ignore[union-attr]  # a concrete field of the model
