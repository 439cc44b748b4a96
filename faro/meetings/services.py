"""Every write about meetings: one transaction, one audit entry, mail after commit.

Views pass `request.user` as `acting_user`; `None` means the system itself (demo, commands).
"""

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from faro.accounts.models import RoleAssignment, User
from faro.accounts.scope import scope_for
from faro.accounts.usertypes import Actor
from faro.core import outbox
from faro.core.audit import diff, log_action, snapshot
from faro.directory.models import Institution, MemberState, Person
from faro.lib.text import normalise_email
from faro.lib.uploads import check_upload
from faro.meetings.models import (
    Attendance,
    Delegation,
    Document,
    DocumentCounter,
    DocumentFile,
    Invitation,
    Meeting,
    Participant,
    Session,
    SessionRole,
)

CREDENTIAL_KINDS = {"pdf", "png", "jpeg"}
DOCUMENT_KINDS = {"pdf", "docx", "xlsx"}


# --- Mail ------------------------------------------------------------------------------------


def _language_of(person: Person | None) -> str:
    return person.preferred_language if person else settings.LANGUAGE_CODE


def _user_recipients(users: Iterable[User]) -> list[tuple[str, str]]:
    return [(user.email, _language_of(user.person)) for user in users if user.email]


def registered_recipients(meeting: Meeting) -> list[tuple[str, str]]:
    """Everyone registered for the meeting (participants and whoever registered them)."""
    people = Person.objects.filter(meeting_participations__delegation__meeting=meeting, email__isnull=False).distinct()
    recipients = [(p.email, p.preferred_language) for p in people if p.email]
    registrars = User.objects.filter(pk__in=meeting.delegations.values("registered_by")).select_related("person")
    return recipients + _user_recipients(registrars)


def _focal_points(state: MemberState) -> list[User]:
    return list(User.objects.with_role(RoleAssignment.Role.FOCAL_POINT, member_state=state).select_related("person"))


# --- Meetings --------------------------------------------------------------------------------


@transaction.atomic
def create_meeting(*, acting_user: Actor, priority_areas: Any = (), **fields: Any) -> Meeting:
    """Create a meeting (status planned)."""
    _check_detail_fields(fields)
    meeting = Meeting(**fields)
    meeting.full_clean()
    meeting.save()
    meeting.priority_areas.set(priority_areas)
    log_action(meeting, "meetings.meeting.created", user=acting_user)
    return meeting


def _check_detail_fields(fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(Meeting.DETAIL_FIELDS)
    if unknown:
        raise TypeError(f"not a meeting detail: {', '.join(sorted(unknown))}")


def _area_ids(meeting: Meeting) -> list[int]:
    return sorted(meeting.priority_areas.values_list("pk", flat=True))


NOTIFIED_FIELDS = {"start_date", "end_date", "time_zone", "city", "venue", "mode", "online_link"}


@transaction.atomic
def update_meeting(meeting: Meeting, *, acting_user: Actor, priority_areas: Any = None, **fields: Any) -> Meeting:
    """Change a meeting's details (not its status: see `change_meeting_status`).

    When the dates, place, format or online link change, everyone registered is told.
    """
    _check_detail_fields(fields)
    before = snapshot(meeting) | {"priority_areas": _area_ids(meeting)}
    for name, value in fields.items():
        setattr(meeting, name, value)
    meeting.full_clean()
    meeting.save()
    if priority_areas is not None:
        meeting.priority_areas.set(priority_areas)
    changes = diff(before, snapshot(meeting) | {"priority_areas": _area_ids(meeting)})
    log_action(meeting, "meetings.meeting.updated", user=acting_user, changes=changes)
    if NOTIFIED_FIELDS & set(changes):
        outbox.mail_each("meetings/emails/details_changed", {"meeting": meeting}, registered_recipients(meeting))
    return meeting


@transaction.atomic
def change_meeting_status(
    meeting: Meeting, *, acting_user: Actor, status: str, note: dict[str, str] | None = None
) -> Meeting:
    """Set the status (postponed, moved online…) and tell everyone registered, in their language."""
    if status not in Meeting.Status.values:
        raise ValidationError(_("Unknown status."), code="status")
    before = snapshot(meeting, ["status", "status_note", "mode"])
    meeting.status = status
    meeting.status_note = note or {}
    if status == Meeting.Status.MOVED_ONLINE:
        meeting.mode = Meeting.Mode.VIRTUAL
    meeting.save(update_fields=["status", "status_note", "mode", "updated_at"])
    changes = diff(before, snapshot(meeting, ["status", "status_note", "mode"]))
    log_action(meeting, "meetings.meeting.status_changed", user=acting_user, changes=changes)
    if "status" in changes or "status_note" in changes:
        outbox.mail_each("meetings/emails/status_changed", {"meeting": meeting}, registered_recipients(meeting))
    return meeting


def states_to_invite(meeting: Meeting) -> list[MemberState]:
    """Member states taking part on the meeting's first and last day."""
    states = MemberState.objects.participating_on(meeting.start_date).filter(
        pk__in=MemberState.objects.participating_on(meeting.end_date).values("pk")
    )
    return list(states)


@transaction.atomic
def invite_member_states(meeting: Meeting, *, acting_user: Actor) -> list[Invitation]:
    """Invite every participating member state not yet invited; mail their focal points."""
    already = set(meeting.invitations.values_list("member_state_id", flat=True))
    created = []
    for state in states_to_invite(meeting):
        if state.pk in already:
            continue
        created.append(Invitation.objects.create(meeting=meeting, member_state=state))
        outbox.mail_each(
            "meetings/emails/invitation", {"meeting": meeting, "state": state}, _user_recipients(_focal_points(state))
        )
    log_action(
        meeting, "meetings.meeting.invited", user=acting_user, data={"states": [i.member_state.code for i in created]}
    )
    return created


# --- Delegations -----------------------------------------------------------------------------


def check_state_may_register(meeting: Meeting, state: MemberState) -> None:
    """A member state not participating on the meeting's dates cannot have a delegation."""
    for day in {meeting.start_date, meeting.end_date}:
        if not state.is_participating_on(day):
            status = state.status_on(day)
            raise ValidationError(
                _("%(state)s is not taking part in the CIP on %(day)s (%(status)s) and cannot register a delegation.")
                % {
                    "state": state.name,
                    "day": day.isoformat(),
                    "status": status.get_status_display() if status else "",
                },
                code="not_participating",
            )


def _check_open(meeting: Meeting) -> None:
    if meeting.status in {Meeting.Status.CANCELLED, Meeting.Status.HELD}:
        raise ValidationError(_("This meeting no longer takes registrations."), code="closed")


@transaction.atomic
def register_delegation(meeting: Meeting, *, acting_user: User | None, member_state: MemberState) -> Delegation:
    """The focal point (or staff) opens their state's delegation to the meeting."""
    scope = scope_for(acting_user)
    if acting_user is not None and not scope.is_staff and member_state.pk not in scope.member_state_ids:
        raise ValidationError(_("You are not the focal point of %(state)s.") % {"state": member_state.name})
    _check_open(meeting)
    check_state_may_register(meeting, member_state)
    existing = meeting.delegations.filter(member_state=member_state).first()
    if existing:
        return existing
    delegation = Delegation.objects.create(meeting=meeting, member_state=member_state, registered_by=acting_user)
    log_action(delegation, "meetings.delegation.registered", user=acting_user, data={"meeting": meeting.pk})
    return delegation


@transaction.atomic
def register_observers(meeting: Meeting, *, acting_user: User | None, institution: Institution) -> Delegation:
    """An associate member, partner or international organisation registers as observer."""
    scope = scope_for(acting_user)
    if acting_user is not None and not scope.is_staff and institution.pk not in scope.institution_ids:
        raise ValidationError(_("You do not coordinate %(institution)s.") % {"institution": institution})
    _check_open(meeting)
    existing = meeting.delegations.filter(institution=institution).first()
    if existing:
        return existing
    delegation = Delegation.objects.create(meeting=meeting, institution=institution, registered_by=acting_user)
    log_action(delegation, "meetings.delegation.registered", user=acting_user, data={"meeting": meeting.pk})
    return delegation


def _lock(delegation: Delegation) -> Delegation:
    """Lock the delegation's row until the transaction ends and refresh its status: a second request
    changing the same delegation (a submit and an added participant, two reviews) waits, then sees it."""
    rows = Delegation.objects.select_for_update().order_by().filter(pk=delegation.pk)
    delegation.status = rows.values_list("status", flat=True).get()
    return delegation


def _check_editable(delegation: Delegation) -> None:
    _lock(delegation)
    if not delegation.is_editable:
        raise ValidationError(
            _("This delegation is %(status)s and cannot be changed.") % {"status": delegation.get_status_display()},
            code="locked",
        )


def _find_or_create_person(delegation: Delegation, *, email: str | None, **fields: Any) -> Person:
    person = Person.objects.with_email(email).first() if email else None
    if person:
        return person
    return Person.objects.create(
        email=email,
        member_state=delegation.member_state,
        institution=delegation.institution,
        **fields,
    )


@transaction.atomic
def add_participant(
    delegation: Delegation,
    *,
    acting_user: Actor,
    first_name: str,
    last_name: str,
    role: str,
    email: str = "",
    position: str = "",
    preferred_language: str = settings.LANGUAGE_CODE,
    travel_funded: bool = False,
    fare: Decimal | None = None,
    per_diem: Decimal | None = None,
    paid_by: str = "",
) -> Participant:
    """Add a person (found by email, else created) to a delegation with a role."""
    _check_editable(delegation)
    if delegation.is_observer != (role == Participant.Role.OBSERVER):
        raise ValidationError(_("Observers register with the role “Observer”; member state delegations may not."))
    if role == Participant.Role.HEAD and delegation.participants.filter(role=role).exists():
        raise ValidationError(_("This delegation already has a head of delegation."), code="head")
    person = _find_or_create_person(
        delegation,
        email=normalise_email(email),
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        position=position.strip(),
        preferred_language=preferred_language,
    )
    if Participant.objects.filter(delegation__meeting=delegation.meeting, person=person).exists():
        raise ValidationError(_already_registered(person) % {"name": person.full_name}, code="duplicate")
    participant = Participant.objects.create(
        delegation=delegation,
        person=person,
        role=role,
        travel_funded=travel_funded,
        fare=fare if travel_funded else None,
        per_diem=per_diem if travel_funded else None,
        paid_by=paid_by.strip() if travel_funded else "",
    )
    log_action(delegation, "meetings.participant.added", user=acting_user, data={"person": person.pk, "role": role})
    return participant


@transaction.atomic
def remove_participant(participant: Participant, *, acting_user: Actor) -> None:
    """Take a person off a delegation that is still being prepared."""
    delegation = participant.delegation
    _check_editable(delegation)
    data = {"person": participant.person_id, "role": participant.role}
    participant.delete()
    log_action(delegation, "meetings.participant.removed", user=acting_user, data=data)


@transaction.atomic
def upload_credentials(delegation: Delegation, *, acting_user: Actor, upload: UploadedFile[bytes]) -> Delegation:
    """Attach the credentials letter; checked by content (PDF, PNG or JPEG only)."""
    _check_editable(delegation)
    kind = check_upload(upload, allowed=CREDENTIAL_KINDS)
    delegation.credentials.save(upload.name or f"credentials.{kind}", upload, save=False)
    delegation.save(update_fields=["credentials", "updated_at"])
    log_action(delegation, "meetings.delegation.credentials_uploaded", user=acting_user, data={"kind": kind})
    return delegation


def _completeness_errors(delegation: Delegation) -> list[str]:
    errors = []
    participants = list(delegation.participants.all())
    if not participants:
        errors.append(_("Add at least one person to the delegation."))
    if not delegation.is_observer:
        if not any(p.role == Participant.Role.HEAD for p in participants):
            errors.append(_("Name the head of delegation."))
        if not delegation.credentials:
            errors.append(_("Upload the credentials letter."))
    return errors


@transaction.atomic
def submit_delegation(delegation: Delegation, *, acting_user: Actor) -> Delegation:
    """Send the delegation to the Secretariat for accreditation."""
    _check_editable(delegation)
    errors = _completeness_errors(delegation)
    if errors:
        raise ValidationError(errors, code="incomplete")
    before = snapshot(delegation, ["status"])
    delegation.status = Delegation.Status.SUBMITTED
    delegation.save(update_fields=["status", "updated_at"])
    log_action(
        delegation, "meetings.delegation.submitted", user=acting_user, changes=diff(before, {"status": "submitted"})
    )
    return delegation


def _review(delegation: Delegation, *, acting_user: Actor, status: str, message: str, action: str) -> Delegation:
    """Only a submitted delegation is reviewed (accredited or sent back), once: of two reviews at the same
    moment the second is told what the first decided."""
    _lock(delegation)
    if delegation.status != Delegation.Status.SUBMITTED:
        raise ValidationError(
            _("Only a delegation submitted for accreditation can be reviewed; this one is %(status)s.")
            % {"status": delegation.get_status_display()},
            code="not_submitted",
        )
    before = snapshot(delegation, ["status", "review_message"])
    delegation.status = status
    delegation.review_message = message
    delegation.save(update_fields=["status", "review_message", "updated_at"])
    after = snapshot(delegation, ["status", "review_message"])
    log_action(delegation, action, user=acting_user, changes=diff(before, after))
    registrar = [delegation.registered_by] if delegation.registered_by else []
    recipients = _user_recipients(registrar)
    if delegation.member_state:
        recipients += _user_recipients(_focal_points(delegation.member_state))
    outbox.mail_each("meetings/emails/delegation_reviewed", {"delegation": delegation}, recipients)
    return delegation


@transaction.atomic
def accredit_delegation(delegation: Delegation, *, acting_user: Actor) -> Delegation:
    """Staff accept the delegation's credentials; its members can then be checked in."""
    if not delegation.participants.exists():
        raise ValidationError(_("A delegation without participants cannot be accredited."), code="empty")
    return _review(
        delegation,
        acting_user=acting_user,
        status=Delegation.Status.ACCREDITED,
        message="",
        action="meetings.delegation.accredited",
    )


@transaction.atomic
def request_corrections(delegation: Delegation, *, acting_user: Actor, message: str) -> Delegation:
    """Staff send the delegation back to its focal point with what to correct."""
    if not message.strip():
        raise ValidationError(_("Say what needs correcting."), code="message")
    return _review(
        delegation,
        acting_user=acting_user,
        status=Delegation.Status.CORRECTIONS,
        message=message.strip(),
        action="meetings.delegation.corrections_requested",
    )


# --- Agenda and documents --------------------------------------------------------------------


def _check_session_times(meeting: Meeting, day: datetime.date, start: datetime.time, end: datetime.time) -> None:
    if not meeting.start_date <= day <= meeting.end_date:
        raise ValidationError(_("The session must fall within the meeting's dates."), code="day")
    if end <= start:
        raise ValidationError(_("The session must end after it starts."), code="times")


@transaction.atomic
def add_session(
    meeting: Meeting,
    *,
    acting_user: Actor,
    title: dict[str, str],
    day: datetime.date,
    start: datetime.time,
    end: datetime.time,
    room: str = "",
    roles: Iterable[dict[str, Any]] = (),
) -> Session:
    """Add an agenda session; `day`, `start` and `end` are in the venue's time zone.

    `roles` are its chairs and speakers in order: {"role": "chair" or "speaker", "person": one of
    the meeting's participants, or None and "name": a guest's name}.
    """
    _check_session_times(meeting, day, start, end)
    people = _session_roles(meeting, roles)
    session = Session.objects.create(
        meeting=meeting,
        title=title,
        starts_at=datetime.datetime.combine(day, start, tzinfo=meeting.zone),
        ends_at=datetime.datetime.combine(day, end, tzinfo=meeting.zone),
        room=room,
    )
    _save_session_roles(session, people)
    log_action(session, "meetings.session.added", user=acting_user, data={"meeting": meeting.pk} | _roles_of(session))
    return session


@transaction.atomic
def update_session(
    session: Session,
    *,
    acting_user: Actor,
    title: dict[str, str],
    day: datetime.date,
    start: datetime.time,
    end: datetime.time,
    room: str = "",
    roles: Iterable[dict[str, Any]] = (),
) -> Session:
    """Change a session's title, times, room, chairs and speakers (as in `add_session`)."""
    meeting = session.meeting
    _check_session_times(meeting, day, start, end)
    if day != session.starts_at.astimezone(meeting.zone).date() and session.attendances.exists():
        raise ValidationError(
            _("People have checked in to this session, so it cannot move to another day."), code="checked_in"
        )
    people = _session_roles(meeting, roles)
    before = snapshot(session) | _roles_of(session)
    session.title = title
    session.starts_at = datetime.datetime.combine(day, start, tzinfo=meeting.zone)
    session.ends_at = datetime.datetime.combine(day, end, tzinfo=meeting.zone)
    session.room = room
    session.save()
    session.roles.all().delete()
    _save_session_roles(session, people)
    changes = diff(before, snapshot(session) | _roles_of(session))
    log_action(session, "meetings.session.updated", user=acting_user, changes=changes)
    return session


def _save_session_roles(session: Session, people: list[SessionRole]) -> None:
    for item in people:
        item.session = session
    SessionRole.objects.bulk_create(people)


def _roles_of(session: Session) -> dict[str, Any]:
    """The chairs and speakers as the audit log records them: [role, person id, guest's name]."""
    return {"roles": [[item.role, item.person_id, item.name] for item in session.roles.order_by("role", "order")]}


def _session_roles(meeting: Meeting, rows: Iterable[dict[str, Any]]) -> list[SessionRole]:
    """Unsaved chairs and speakers; a person must be in one of the meeting's delegations."""
    participants = set(meeting.registered_people().values_list("pk", flat=True))
    roles = []
    for order, row in enumerate(rows):
        person, name = row.get("person"), (row.get("name") or "").strip()
        if row.get("role") not in SessionRole.Role.values:
            raise ValidationError(_("Say whether each person chairs or speaks."), code="role")
        if person is not None and person.pk not in participants:
            raise ValidationError(
                _("%(name)s is not a participant of this meeting.") % {"name": person.full_name}, code="person"
            )
        if person is None and not name:
            raise ValidationError(_("Choose a participant or type a guest's name."), code="name")
        roles.append(SessionRole(role=row["role"], person=person, name="" if person else name, order=order))
    return roles


def next_document_number(series: str, year: int) -> int:
    """The next number in a series and year, with the counter row locked: no gaps, no duplicates.

    Must run inside the caller's transaction so a rollback also returns the number.
    """
    try:
        with transaction.atomic():
            DocumentCounter.objects.get_or_create(series=series, year=year)
    except IntegrityError:  # another transaction created it first
        pass
    counter = DocumentCounter.objects.select_for_update().get(series=series, year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def _save_file(document: Document, *, language: str, upload: UploadedFile[bytes]) -> DocumentFile:
    kind = check_upload(upload, allowed=DOCUMENT_KINDS)
    if language not in dict(settings.LANGUAGES):
        raise ValidationError(_("Unknown language."), code="language")
    existing = document.files.filter(language=language).first()
    if existing:
        existing.file.delete(save=False)
        existing.delete()
    item = DocumentFile(document=document, language=language, kind=kind)
    item.file.save(upload.name or f"{language}.{kind}", upload, save=False)
    item.save()
    return item


@transaction.atomic
def add_document(
    meeting: Meeting,
    *,
    acting_user: Actor,
    title: dict[str, str],
    visibility: str,
    language: str,
    upload: UploadedFile[bytes],
) -> Document:
    """A new numbered document (number assigned by Faro) with its first language version."""
    check_upload(upload, allowed=DOCUMENT_KINDS)
    series, year = meeting.document_series, meeting.start_date.year
    number = next_document_number(series, year)
    document = Document.objects.create(
        meeting=meeting, title=title, series=series, year=year, number=number, visibility=visibility
    )
    _save_file(document, language=language, upload=upload)
    log_action(document, "meetings.document.added", user=acting_user, data={"reference": document.reference})
    return document


@transaction.atomic
def add_document_language(
    document: Document, *, acting_user: Actor, language: str, upload: UploadedFile[bytes]
) -> DocumentFile:
    """Add (or replace) the document's file in one language."""
    item = _save_file(document, language=language, upload=upload)
    log_action(document, "meetings.document.file_added", user=acting_user, data={"language": language})
    return item


@transaction.atomic
def revise_document(document: Document, *, acting_user: Actor, language: str, upload: UploadedFile[bytes]) -> Document:
    """A new revision (rev.N) of the document, keeping its number."""
    check_upload(upload, allowed=DOCUMENT_KINDS)
    # Lock the original so two revisions at once cannot take the same revision number.
    Document.objects.select_for_update().filter(pk=document.pk).first()
    latest = Document.objects.filter(series=document.series, year=document.year, number=document.number)
    revision = max(latest.values_list("revision", flat=True)) + 1
    new = Document.objects.create(
        meeting=document.meeting,
        title=document.title,
        series=document.series,
        year=document.year,
        number=document.number,
        revision=revision,
        visibility=document.visibility,
    )
    _save_file(new, language=language, upload=upload)
    log_action(new, "meetings.document.revised", user=acting_user, data={"reference": new.reference})
    return new


# --- Check-in --------------------------------------------------------------------------------


def _check_in_day(participant: Participant, day: datetime.date, session: Session | None) -> None:
    meeting = participant.delegation.meeting
    if not meeting.start_date <= day <= meeting.end_date:
        raise ValidationError(_("That day is not one of the meeting's days."), code="day")
    if session is not None and session.meeting_id != meeting.pk:
        raise ValidationError(_("That session is not part of this meeting."), code="session")
    if not participant.delegation.is_accredited:
        raise ValidationError(
            _("%(delegation)s is not accredited yet.") % {"delegation": participant.delegation.name},
            code="accreditation",
        )


@transaction.atomic
def check_in(
    participant: Participant, *, acting_user: User | None, day: datetime.date, session: Session | None = None
) -> tuple[Attendance, bool]:
    """Record that the participant is present; a second check-in changes nothing."""
    _check_in_day(participant, day, session)
    if session is not None:
        day = session.starts_at.astimezone(participant.delegation.meeting.zone).date()
        lookup: dict[str, Any] = {"participant": participant, "session": session}
    else:
        lookup = {"participant": participant, "day": day, "session": None}
    existing = Attendance.objects.filter(**lookup).first()
    if existing:
        return existing, False
    try:
        with transaction.atomic():
            attendance = Attendance.objects.create(
                participant=participant, day=day, session=session, checked_in_by=acting_user
            )
    except IntegrityError:  # checked in at the same moment on another phone
        return Attendance.objects.get(**lookup), False
    log_action(participant, "meetings.participant.checked_in", user=acting_user, data={"day": day, "session": session})
    return attendance, True


def find_badge(meeting: Meeting, code: str) -> Participant:
    """The participant whose badge carries `code`, or a clear error for forged and foreign codes."""
    code = code.strip().rsplit("/", 1)[-1]
    participant = Participant.objects.select_related("delegation__meeting", "person").filter(badge_code=code).first()
    if participant is None:
        raise ValidationError(_("No badge has this code. Check it, or search by name."), code="unknown_badge")
    if participant.delegation.meeting_id != meeting.pk:
        raise ValidationError(
            _("This badge belongs to another meeting (%(meeting)s).") % {"meeting": participant.delegation.meeting},
            code="foreign_badge",
        )
    return participant


def _already_registered(person: Person) -> str:
    """In the person's grammatical gender where Faro knows it (es/pt/fr agree), else neutral wording."""
    if person.gender == Person.Gender.WOMAN:
        return pgettext("woman", "%(name)s is already registered for this meeting.")
    if person.gender == Person.Gender.MAN:
        return pgettext("man", "%(name)s is already registered for this meeting.")
    return _("%(name)s is already registered for this meeting.")
