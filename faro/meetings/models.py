"""Hemispheric meetings: meetings, invitations, delegations, participants, agenda, numbered
documents and attendance (check-in)."""

import datetime
import secrets
import zoneinfo
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from faro.accounts.scope import scope_for
from faro.accounts.usertypes import Viewer
from faro.core.fields import TranslatedField
from faro.core.models import TimeStampedModel
from faro.directory.models import Institution, MemberState, Person, PriorityArea
from faro.lib.collation import language_names
from faro.lib.wording import agreeing


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("Not a known time zone (e.g. America/Argentina/Buenos_Aires)."), code="time_zone")


class MeetingQuerySet(models.QuerySet["Meeting"]):
    def public(self) -> "MeetingQuerySet":
        """Meetings announced to everyone (for the portal calendar and feeds)."""
        return self.filter(is_public=True)

    def for_user(self, user: Viewer) -> "MeetingQuerySet":
        """Staff see every meeting; anyone else the public ones and those they take part in."""
        scope = scope_for(user)
        if scope.is_staff:
            return self.all()
        visible = models.Q(is_public=True)
        if scope.person_id:
            visible |= models.Q(delegations__participants__person_id=scope.person_id)
        if scope.member_state_ids:
            visible |= models.Q(invitations__member_state_id__in=scope.member_state_ids)
        return self.filter(visible).distinct()

    def in_language(self, code: str) -> "MeetingQuerySet":
        """Meetings held in the language `code` (one of settings.LANGUAGES).

        A text match on the stored JSON list, quotes included, since SQLite has no JSON `contains`.
        """
        return self.filter(languages__icontains=f'"{code}"')

    def held(self) -> "MeetingQuerySet":
        """Meetings that took place."""
        return self.filter(status=Meeting.Status.HELD)

    def upcoming(self, day: datetime.date) -> "MeetingQuerySet":
        return self.filter(end_date__gte=day).order_by("start_date")

    def past(self, day: datetime.date) -> "MeetingQuerySet":
        return self.filter(end_date__lt=day).order_by("-start_date")


class Meeting(TimeStampedModel):
    """One meeting of the CIP's governance or one of its hemispheric events."""

    class Kind(models.TextChoices):
        REGULAR = "regular", _("Regular Meeting of the CIP")
        CECIP = "cecip", _("CECIP meeting")
        TAG = "tag", _("TAG meeting")
        CONFERENCE = "conference", _("Hemispheric conference or seminar")
        WORKSHOP = "workshop", _("Workshop")

    class Mode(models.TextChoices):
        ON_SITE = "on_site", _("On site")
        VIRTUAL = "virtual", _("Virtual")
        HYBRID = "hybrid", _("Hybrid")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        CONFIRMED = "confirmed", _("Confirmed")
        POSTPONED = "postponed", _("Postponed")
        MOVED_ONLINE = "moved_online", _("Moved online")
        CANCELLED = "cancelled", pgettext_lazy("meeting status", "Cancelled")
        HELD = "held", pgettext_lazy("meeting status", "Held")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = TranslatedField(_("title"))
    description = TranslatedField(_("description"), multiline=True, blank=True)
    host_country = models.ForeignKey(
        MemberState, verbose_name=_("host country"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    host_institution = models.ForeignKey(
        Institution,
        verbose_name=_("host institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hosted_meetings",
    )
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    time_zone = models.CharField(
        _("venue time zone"), max_length=64, default="America/New_York", validators=[validate_time_zone]
    )
    mode = models.CharField(
        pgettext_lazy("meeting", "format"), max_length=10, choices=Mode.choices, default=Mode.ON_SITE
    )
    online_link = models.URLField(
        _("online link"), blank=True, help_text=_("Shown only to registered participants and staff.")
    )
    languages = models.JSONField(_("languages"), default=list, blank=True)
    priority_areas = models.ManyToManyField(
        PriorityArea, verbose_name=_("priority areas"), blank=True, related_name="meetings"
    )
    status = models.CharField(_("status"), max_length=15, choices=Status.choices, default=Status.PLANNED)
    status_note = TranslatedField(_("note on the status"), multiline=True, blank=True)
    is_public = models.BooleanField(_("public"), default=True)
    document_series = models.CharField(
        _("document series"),
        max_length=40,
        default="CIDI/CIP",
        help_text=_("Documents are numbered “<series>/doc. N/YY”."),
    )

    objects = MeetingQuerySet.as_manager()

    # What staff edit on the meeting form and the services accept (besides priority areas, a many-to-many;
    # the status changes only through `change_meeting_status`).
    DETAIL_FIELDS = (
        "kind",
        "title",
        "description",
        "host_country",
        "city",
        "venue",
        "host_institution",
        "start_date",
        "end_date",
        "time_zone",
        "mode",
        "online_link",
        "languages",
        "is_public",
        "document_series",
    )

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")), name="meeting_dates_ordered"
            )
        ]

    def __str__(self) -> str:
        return str(self.title)

    def get_absolute_url(self) -> str:
        return reverse("meetings:meeting", args=[self.pk])

    @property
    def is_held(self) -> bool:
        return self.status == self.Status.HELD

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def is_online(self) -> bool:
        return self.mode != self.Mode.ON_SITE or self.status == self.Status.MOVED_ONLINE

    def language_names(self) -> list[str]:
        """The meeting's languages by name, in the viewer's collation order (not the order they were ticked)."""
        return language_names(self.languages)

    def days(self) -> list[datetime.date]:
        count = (self.end_date - self.start_date).days + 1
        return [self.start_date + datetime.timedelta(days=n) for n in range(count)]

    def attended_people(self) -> models.QuerySet[Person]:
        """People checked in at least once (for certificates of attendance)."""
        return Person.objects.filter(
            meeting_participations__delegation__meeting=self, meeting_participations__attendances__isnull=False
        ).distinct()

    def registered_people(self) -> models.QuerySet[Person]:
        return Person.objects.filter(meeting_participations__delegation__meeting=self).distinct()


class Invitation(TimeStampedModel):
    """A member state invited to send a delegation."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="invitations"
    )
    member_state = models.ForeignKey(
        MemberState, verbose_name=_("member state"), on_delete=models.PROTECT, related_name="meeting_invitations"
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [models.UniqueConstraint(fields=["meeting", "member_state"], name="invitation_unique")]

    def __str__(self) -> str:
        return f"{self.meeting} — {self.member_state.code}"


class DelegationQuerySet(models.QuerySet["Delegation"]):
    def for_user(self, user: Viewer) -> "DelegationQuerySet":
        """Staff: all; focal points: their states'; partners: their institutions'; others: their own."""
        scope = scope_for(user)
        if scope.is_staff:
            return self.all()
        visible = models.Q(member_state_id__in=scope.member_state_ids) | models.Q(
            institution_id__in=scope.institution_ids
        )
        if scope.person_id:
            visible |= models.Q(participants__person_id=scope.person_id)
        return self.filter(visible).distinct()

    def registered(self) -> "DelegationQuerySet":
        """Delegations the focal point or observer has submitted (not still being prepared)."""
        return self.exclude(status=Delegation.Status.DRAFT)

    def accredited(self) -> "DelegationQuerySet":
        return self.filter(status=Delegation.Status.ACCREDITED)

    def managed_by(self, user: Viewer) -> "DelegationQuerySet":
        """Delegations the user registers: their states' (focal point) or institutions' (partner)."""
        scope = scope_for(user)
        if scope.is_staff:
            return self.all()
        return self.filter(
            models.Q(member_state_id__in=scope.member_state_ids) | models.Q(institution_id__in=scope.institution_ids)
        )


def credentials_path(instance: "Delegation", filename: str) -> str:
    return f"meetings/{instance.meeting_id}/credentials/{secrets.token_hex(8)}-{filename[-60:]}"


class Delegation(TimeStampedModel):
    """A member state's delegation, or an institution's observers, at one meeting."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Being prepared")
        SUBMITTED = "submitted", _("Submitted for accreditation")
        CORRECTIONS = "corrections", _("Corrections requested")
        ACCREDITED = "accredited", _("Accredited")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="delegations"
    )
    member_state = models.ForeignKey(
        MemberState,
        verbose_name=_("member state"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meeting_delegations",
    )
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("observer institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meeting_delegations",
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    credentials = models.FileField(_("credentials letter"), upload_to=credentials_path, blank=True)
    review_message = models.TextField(_("message from the Secretariat"), blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = DelegationQuerySet.as_manager()

    class Meta:
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(member_state__isnull=True, institution__isnull=False)
                | models.Q(member_state__isnull=False, institution__isnull=True),
                name="delegation_state_or_observer",
            ),
            models.UniqueConstraint(
                fields=["meeting", "member_state"],
                condition=models.Q(member_state__isnull=False),
                name="delegation_one_per_state",
            ),
            models.UniqueConstraint(
                fields=["meeting", "institution"],
                condition=models.Q(institution__isnull=False),
                name="delegation_one_per_observer",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.member_state.name if self.member_state else str(self.institution)

    def name_in(self, language: str) -> str:
        return self.member_state.name_in(language) if self.member_state else str(self.institution)

    @property
    def is_observer(self) -> bool:
        return self.institution_id is not None

    @property
    def is_accredited(self) -> bool:
        return self.status == self.Status.ACCREDITED

    @property
    def is_editable(self) -> bool:
        return self.status in {self.Status.DRAFT, self.Status.CORRECTIONS}


class ParticipantQuerySet(models.QuerySet["Participant"]):
    def for_user(self, user: Viewer) -> "ParticipantQuerySet":
        """Staff: all; focal points and partners: their delegations'; anyone else: their own."""
        scope = scope_for(user)
        if scope.is_staff:
            return self.all()
        visible = models.Q(delegation__member_state_id__in=scope.member_state_ids) | models.Q(
            delegation__institution_id__in=scope.institution_ids
        )
        if scope.person_id:
            visible |= models.Q(person_id=scope.person_id)
        return self.filter(visible)

    def not_cancelled(self) -> "ParticipantQuerySet":
        """Participations in meetings that were not cancelled."""
        return self.exclude(delegation__meeting__status=Meeting.Status.CANCELLED)

    def of_meeting(self, meeting: Meeting) -> "ParticipantQuerySet":
        return self.filter(delegation__meeting=meeting).select_related(
            "person", "person__institution", "delegation__member_state", "delegation__institution"
        )


def new_badge_code() -> str:
    """An unguessable badge code (96 random bits)."""
    return secrets.token_urlsafe(12)


class Participant(TimeStampedModel):
    """One person in one delegation, with their role and optional funded travel."""

    class Role(models.TextChoices):
        HEAD = "head", _("Head of delegation")
        DELEGATE = "delegate", _("Delegate")
        ALTERNATE = "alternate", _("Alternate")
        ADVISER = "adviser", _("Adviser")
        OBSERVER = "observer", _("Observer")

    ROLE_ORDER: dict[str, int] = {"head": 0, "delegate": 1, "alternate": 2, "adviser": 3, "observer": 4}

    delegation = models.ForeignKey(
        Delegation, verbose_name=_("delegation"), on_delete=models.CASCADE, related_name="participants"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="meeting_participations"
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)
    # The name as the focal point or partner typed it: what they are shown when the person was found
    # by email outside their scope (the directory's record of that person is not theirs to read).
    entered_name = models.CharField(_("name as entered"), max_length=300, blank=True)
    badge_code = models.CharField(_("badge code"), max_length=32, unique=True, default=new_badge_code, editable=False)
    travel_funded = models.BooleanField(_("funded travel"), default=False)
    fare = models.DecimalField(_("air fare (USD)"), max_digits=9, decimal_places=2, null=True, blank=True)
    per_diem = models.DecimalField(_("per diem (USD)"), max_digits=9, decimal_places=2, null=True, blank=True)
    paid_by = models.CharField(_("paid by"), max_length=200, blank=True)

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [models.UniqueConstraint(fields=["delegation", "person"], name="participant_once_per_delegation")]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_role_display()}"

    @property
    def role_rank(self) -> int:
        return self.ROLE_ORDER.get(self.role, 9)

    @property
    def role_label(self) -> str:
        """The role agreeing with the person's gender where the directory knows it ("Delegada",
        "Observatrice"), else the role's own label. For the person and staff: a viewer outside the
        person's scope gets `get_role_display`, which tells nothing of them."""
        woman, man = ROLE_WORDS.get(self.role, (self.get_role_display(), self.get_role_display()))
        return agreeing(self.person, woman=str(woman), man=str(man), neutral=str(self.get_role_display()))

    def name_for(self, *, person_visible: bool) -> str:
        """The name to show: the directory's when the viewer's scope covers the person, else what the
        adder typed (or the address they typed)."""
        if person_visible:
            return self.person.full_name
        return self.entered_name or self.person.email or ""


ROLE_WORDS = {
    "head": (pgettext_lazy("woman", "Head of delegation"), pgettext_lazy("man", "Head of delegation")),
    "delegate": (pgettext_lazy("woman", "Delegate"), pgettext_lazy("man", "Delegate")),
    "alternate": (pgettext_lazy("woman", "Alternate"), pgettext_lazy("man", "Alternate")),
    "adviser": (pgettext_lazy("woman", "Adviser"), pgettext_lazy("man", "Adviser")),
    "observer": (pgettext_lazy("woman", "Observer"), pgettext_lazy("man", "Observer")),
}


def shown_to(participants: Iterable[Participant], user: Any) -> list[Participant]:
    """`participants`, each with `shown_name` and `shown_position` as `user` may see them (two queries)."""
    listed = list(participants)
    visible = set(
        Person.objects.for_user(user).filter(pk__in={p.person_id for p in listed}).values_list("pk", flat=True)
    )
    for participant in listed:
        covered = participant.person_id in visible
        participant.shown_name = participant.name_for(person_visible=covered)  # type: ignore[attr-defined]
        participant.shown_position = participant.person.position if covered else ""  # type: ignore[attr-defined]
    return listed


class Session(TimeStampedModel):
    """An agenda item; times are stored in UTC and shown in the venue's and the viewer's zone."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="sessions")
    title = TranslatedField(_("title"))
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    room = models.CharField(_("room"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return str(self.title)

    def chairs(self) -> list["SessionRole"]:
        return [item for item in self.roles.all() if item.role == SessionRole.Role.CHAIR]

    def speakers(self) -> list["SessionRole"]:
        return [item for item in self.roles.all() if item.role == SessionRole.Role.SPEAKER]


class SessionRole(models.Model):
    """A session's chair or speaker: one of the meeting's participants, or a guest named in free text."""

    class Role(models.TextChoices):
        CHAIR = "chair", pgettext_lazy("session role", "Chair")
        SPEAKER = "speaker", _("Speaker")

    session = models.ForeignKey(Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    person = models.ForeignKey(
        Person,
        verbose_name=_("participant"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meeting_session_roles",
    )
    name = models.CharField(
        _("guest's name"), max_length=200, blank=True, help_text=_("For someone who is not a participant.")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("chair or speaker")
        verbose_name_plural = _("chairs and speakers")
        ordering = ["session", "role", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=False) | ~models.Q(name=""), name="session_role_person_or_name"
            )
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.person.full_name if self.person else self.name


class DocumentCounter(models.Model):
    """The last number given in a series and year; locked while a number is assigned."""

    series = models.CharField(_("series"), max_length=40)
    year = models.PositiveSmallIntegerField(_("year"))
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("document counter")
        verbose_name_plural = _("document counters")
        constraints = [models.UniqueConstraint(fields=["series", "year"], name="document_counter_unique")]

    def __str__(self) -> str:
        return f"{self.series} {self.year}: {self.last_number}"


class DocumentQuerySet(models.QuerySet["Document"]):
    def for_user(self, user: Viewer) -> "DocumentQuerySet":
        """Public documents of visible meetings; restricted ones only for staff and delegations."""
        scope = scope_for(user)
        if scope.is_staff:
            return self.all()
        meetings = Meeting.objects.for_user(user).values("pk")
        in_delegation = models.Q(meeting__delegations__member_state_id__in=scope.member_state_ids) | models.Q(
            meeting__delegations__institution_id__in=scope.institution_ids
        )
        if scope.person_id:
            in_delegation |= models.Q(meeting__delegations__participants__person_id=scope.person_id)
        return self.filter(meeting__in=meetings).filter(models.Q(visibility="public") | in_delegation).distinct()


class Document(TimeStampedModel):
    """A meeting document numbered in the CIP style, e.g. CIDI/CIP/doc. 5/21 rev.1."""

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public")
        DELEGATIONS = "delegations", _("Delegations only")

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="documents")
    title = TranslatedField(_("title"))
    series = models.CharField(_("series"), max_length=40, editable=False)
    year = models.PositiveSmallIntegerField(_("year"), editable=False)
    number = models.PositiveIntegerField(_("number"), editable=False)
    revision = models.PositiveSmallIntegerField(_("revision"), default=0, editable=False)
    visibility = models.CharField(_("visibility"), max_length=12, choices=Visibility.choices, default=Visibility.PUBLIC)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["number", "revision"]
        constraints = [
            models.UniqueConstraint(fields=["series", "year", "number", "revision"], name="document_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.reference} — {self.title}"

    @property
    def reference(self) -> str:
        text = f"{self.series}/doc. {self.number}/{self.year % 100:02d}"
        return f"{text} rev.{self.revision}" if self.revision else text


def document_file_path(instance: "DocumentFile", filename: str) -> str:
    return f"meetings/documents/{instance.document_id}/{instance.language}-{secrets.token_hex(6)}-{filename[-60:]}"


class DocumentFile(TimeStampedModel):
    """One language version of a document."""

    document = models.ForeignKey(Document, verbose_name=_("document"), on_delete=models.CASCADE, related_name="files")
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    file = models.FileField(_("file"), upload_to=document_file_path)
    kind = models.CharField(_("file type"), max_length=10)

    class Meta:
        verbose_name = _("document file")
        verbose_name_plural = _("document files")
        ordering = ["language"]
        constraints = [models.UniqueConstraint(fields=["document", "language"], name="document_file_one_per_language")]

    def __str__(self) -> str:
        return f"{self.document.reference} ({self.language})"


class Attendance(models.Model):
    """A check-in: one participant present on one day, or at one session."""

    participant = models.ForeignKey(
        Participant, verbose_name=_("participant"), on_delete=models.CASCADE, related_name="attendances"
    )
    day = models.DateField(_("day"))
    session = models.ForeignKey(
        Session, verbose_name=_("session"), null=True, blank=True, on_delete=models.CASCADE, related_name="attendances"
    )
    checked_in_at = models.DateTimeField(_("checked in at"), auto_now_add=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked in by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "day"], condition=models.Q(session__isnull=True), name="attendance_once_a_day"
            ),
            models.UniqueConstraint(
                fields=["participant", "session"],
                condition=models.Q(session__isnull=False),
                name="attendance_once_a_session",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant.person} {self.day}"
