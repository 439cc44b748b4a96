"""Every write in the directory: people (with merge), institutions, memberships, statuses, appointments.

Each service runs in one transaction and records an audit entry with the changed fields.
"""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from faro.accounts.usertypes import Actor
from faro.core.audit import diff, log_action, snapshot
from faro.directory.models import Appointment, Institution, Membership, MemberState, MemberStateStatus, Person
from faro.lib.text import normalise_email

DUPLICATE_EMAIL = _("Another person already uses the email %(email)s: %(name)s. Edit that record, or merge the two.")


def check_email_free(email: str | None, *, exclude: Person | None = None) -> None:
    """Refuse an email some other person already has, whatever its case."""
    if not email:
        return
    others = Person.objects.with_email(email)
    if exclude is not None and exclude.pk:
        others = others.exclude(pk=exclude.pk)
    other = others.first()
    if other is not None:
        raise ValidationError(DUPLICATE_EMAIL, code="duplicate_email", params={"email": email, "name": other.full_name})


def _apply(obj: models.Model, fields: dict[str, Any]) -> dict[str, list[Any]]:
    """Set `fields` on `obj`, validate and save it, and return what changed (everything, if new)."""
    # A form may already have changed `obj` in memory: compare with what is stored.
    before = snapshot(type(obj)._base_manager.get(pk=obj.pk)) if obj.pk else {}
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.full_clean()
    obj.save()
    after = snapshot(obj)
    return diff(before, {k: v for k, v in after.items() if k != "created_at"})


# --- People -------------------------------------------------------------------------------


@transaction.atomic
def create_person(*, acting_user: Actor, **fields: Any) -> Person:
    fields["email"] = normalise_email(fields.get("email"))
    check_email_free(fields["email"])
    person = Person(**fields)
    changes = _apply(person, {})
    log_action(person, "directory.person.created", user=acting_user, changes=changes)
    return person


@transaction.atomic
def update_person(person: Person, *, acting_user: Actor, **fields: Any) -> Person:
    if "email" in fields:
        fields["email"] = normalise_email(fields["email"])
        check_email_free(fields["email"], exclude=person)
    changes = _apply(person, fields)
    if changes:
        log_action(person, "directory.person.updated", user=acting_user, changes=changes)
    return person


def person_relations() -> list[models.ForeignObjectRel]:
    """Every relation from any model to Person (foreign keys, one-to-ones, many-to-many tables).

    Many-to-many fields are covered through the foreign key of their intermediate table,
    which is why hidden relations are included and the many-to-many relations themselves skipped.
    """
    return [
        rel
        for rel in Person._meta.get_fields(include_hidden=True)
        if isinstance(rel, models.ForeignObjectRel) and not rel.many_to_many
    ]


def _clashes(row: models.Model) -> bool:
    """Would `row` break a unique rule (field, together or constraint) as it now stands?"""
    try:
        row.validate_unique()
        row.validate_constraints()
    except ValidationError:
        return True
    return False


def _move_relation(rel: models.ForeignObjectRel, source: Person, target: Person) -> dict[str, Any]:
    field = rel.field
    model = rel.related_model
    moved, removed, detached = 0, [], []
    for row in model._base_manager.filter(**{field.name: source}):
        setattr(row, field.attname, target.pk)
        if _clashes(row):  # the target already has this: keep theirs
            if field.null:
                model._base_manager.filter(pk=row.pk).update(**{field.attname: None})
                detached.append(row.pk)
            else:
                model._base_manager.filter(pk=row.pk).delete()
                removed.append(row.pk)
        else:
            model._base_manager.filter(pk=row.pk).update(**{field.attname: target.pk})
            moved += 1
    return {"moved": moved, "deleted_duplicates": removed, "detached_duplicates": detached}


@transaction.atomic
def merge_people(source: Person, target: Person, *, acting_user: Actor) -> Person:
    """Move everything that belongs to `source` onto `target`, then delete `source`.

    Works over every relation pointing at Person from any app. Where the target already has the
    row a unique rule allows once (say, a registration for the same webinar), the target's row is
    kept and the source's duplicate is deleted (or unlinked, when the link is optional); the audit
    entry records each case. Blank fields of the target are filled from the source.
    """
    if source.pk == target.pk:
        raise ValidationError(_("A record cannot be merged into itself."), code="same_person")
    report: dict[str, Any] = {}
    for rel in person_relations():
        outcome = _move_relation(rel, source, target)
        if any(outcome.values()):
            report[f"{rel.related_model._meta.label}.{rel.field.name}"] = outcome
    source_data = snapshot(source)
    source_label = {"id": source.pk, "name": source.full_name, "email": source.email}
    source.delete()
    fill = {
        name: source_data[name]
        for name in [
            "email",
            "last_name",
            "member_state_id",
            "institution_id",
            "position",
            "position_level",
            "gender",
            "timezone",
        ]
        if not getattr(target, name) and source_data.get(name)
    }
    changes = _apply(target, fill)
    log_action(
        target,
        "directory.person.merged",
        user=acting_user,
        changes=changes,
        data={"source": source_label, "relations": report},
    )
    return target


# --- Institutions and memberships ----------------------------------------------------------


def check_institution_free(name: str, country_code: str, *, exclude: Institution | None = None) -> None:
    others = Institution.objects.filter(name__iexact=name.strip(), country_code=country_code)
    if exclude is not None and exclude.pk:
        others = others.exclude(pk=exclude.pk)
    if others.exists():
        raise ValidationError(
            _("An institution called %(name)s already exists in this country."), code="duplicate", params={"name": name}
        )


@transaction.atomic
def create_institution(*, acting_user: Actor, **fields: Any) -> Institution:
    check_institution_free(fields["name"], fields["country_code"])
    institution = Institution(**fields)
    changes = _apply(institution, {})
    log_action(institution, "directory.institution.created", user=acting_user, changes=changes)
    return institution


@transaction.atomic
def update_institution(institution: Institution, *, acting_user: Actor, **fields: Any) -> Institution:
    check_institution_free(
        fields.get("name", institution.name), fields.get("country_code", institution.country_code), exclude=institution
    )
    changes = _apply(institution, fields)
    if changes:
        log_action(institution, "directory.institution.updated", user=acting_user, changes=changes)
    return institution


def _check_membership(fields: dict[str, Any]) -> None:
    if fields.get("kind") == Membership.Kind.ASSOCIATE_MEMBER and not (
        fields.get("approving_state") and fields.get("approved_on")
    ):
        raise ValidationError(
            _("An associate member needs the member state that approved it and the date of approval."),
            code="needs_approval",
        )


@transaction.atomic
def add_membership(institution: Institution, *, acting_user: Actor, **fields: Any) -> Membership:
    _check_membership(fields)
    membership = Membership(institution=institution, **fields)
    changes = _apply(membership, {})
    log_action(institution, "directory.institution.membership_added", user=acting_user, changes=changes)
    return membership


@transaction.atomic
def update_membership(membership: Membership, *, acting_user: Actor, **fields: Any) -> Membership:
    _check_membership({"kind": membership.kind, "approving_state": membership.approving_state, **fields})
    changes = _apply(membership, fields)
    if changes:
        log_action(
            membership.institution, "directory.institution.membership_changed", user=acting_user, changes=changes
        )
    return membership


# --- Member states -------------------------------------------------------------------------


@transaction.atomic
def add_status_period(state: MemberState, *, acting_user: Actor, **fields: Any) -> MemberStateStatus:
    status = MemberStateStatus(member_state=state, **fields)
    changes = _apply(status, {})
    log_action(state, "directory.member_state.status_added", user=acting_user, changes=changes)
    return status


# --- Appointments --------------------------------------------------------------------------


@transaction.atomic
def create_appointment(*, acting_user: Actor, **fields: Any) -> Appointment:
    appointment = Appointment(**fields)
    changes = _apply(appointment, {})
    log_action(appointment, "directory.appointment.created", user=acting_user, changes=changes)
    return appointment


@transaction.atomic
def update_appointment(appointment: Appointment, *, acting_user: Actor, **fields: Any) -> Appointment:
    changes = _apply(appointment, fields)
    if changes:
        log_action(appointment, "directory.appointment.updated", user=acting_user, changes=changes)
    return appointment


@transaction.atomic
def end_appointment(appointment: Appointment, *, acting_user: Actor, on: datetime.date | None = None) -> Appointment:
    """End the appointment on `on` (default today), never before it started."""
    end = max(on or timezone.localdate(), appointment.start)
    changes = _apply(appointment, {"end": end})
    log_action(appointment, "directory.appointment.ended", user=acting_user, changes=changes)
    return appointment
