"""The one audit log. Services call `log_action`; nothing else writes entries."""

import datetime
import decimal
import uuid
from collections.abc import Mapping
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from faro.core.models import AuditEntry


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, datetime.date | datetime.datetime | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    if hasattr(value, "name") and hasattr(value, "url"):  # FieldFile
        return value.name or None
    return value


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The object's concrete field values, as plain JSON-able data, for diffing."""
    names = fields or [f.attname for f in obj._meta.concrete_fields if f.attname not in {"id", "updated_at"}]
    return {name: _plain(getattr(obj, name)) for name in names}


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for every field whose value changed."""
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}


def log_action(
    obj: models.Model,
    action: str,
    *,
    user: Any = None,
    changes: dict[str, list[Any]] | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """Record that `user` did `action` (e.g. "directory.person.merged") to `obj`."""
    actor = user if getattr(user, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        actor=actor,
        action=action,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        changes=_plain(changes or {}),
        data=_plain(data or {}),
    )


# How the history panel names an action: "directory.institution.updated" reads "Updated".
# Apps may register a fuller label for a code of theirs; any other code is named by its
# last segment, and a verb not listed here is shown as written ("file_added" → "file added").
VERBS: dict[str, Any] = {
    "accepted": _("Accepted"),
    "accredited": _("Accredited"),
    "added": _("Added"),
    "advanced": _("Moved to the next stage"),
    "answered": _("Answered"),
    "assigned": _("Assigned"),
    "attached": _("Document attached"),
    "cancelled": _("Cancelled"),
    "checked_in": _("Checked in"),
    "closed": _("Closed"),
    "corrections_requested": _("Corrections requested"),
    "created": _("Created"),
    "credentials_uploaded": _("Credentials uploaded"),
    "declined": _("Declined"),
    "deleted": _("Deleted"),
    "endorsed": _("Endorsed"),
    "ended": _("Ended"),
    "expired": _("Expired"),
    "file_added": _("File added"),
    "held": _("Marked as held"),
    "imported": _("Imported"),
    "invited": _("Invitations sent"),
    "issued": _("Issued"),
    "locked_out": _("Locked out"),
    "logged_in": _("Logged in"),
    "membership_added": _("Membership added"),
    "membership_changed": _("Membership changed"),
    "merged": _("Merged"),
    "not_endorsed": _("Not endorsed"),
    "overridden": _("Overridden"),
    "preferences_changed": _("Preferences changed"),
    "previewed": _("Previewed"),
    "promoted": _("Promoted from the waiting list"),
    "published": _("Published"),
    "ranked": _("Ranked"),
    "registered": _("Registered"),
    "removed": _("Removed"),
    "revised": _("Revised"),
    "revoked": _("Revoked"),
    "role_assigned": _("Role assigned"),
    "saved": _("Saved"),
    "sent": _("Sent"),
    "started": _("Started"),
    "status_added": _("Status added"),
    "status_changed": _("Status changed"),
    "submitted": _("Submitted"),
    "subscribed": _("Subscribed"),
    "tested": _("Tested"),
    "two_factor_disabled": _("Two-factor sign-in turned off"),
    "two_factor_enabled": _("Two-factor sign-in turned on"),
    "updated": _("Updated"),
    "withdrawn": _("Withdrawn"),
}
# Codes logged on a parent object (a call, a webinar), where the verb alone would not say what happened.
_LABELS: dict[str, Any] = {
    "courses.contribution.added": _("Partner contribution added"),
    "courses.results.imported": _("Results imported"),
    "meetings.document.added": _("Document added"),
    "meetings.participant.added": _("Participant added"),
    "meetings.participant.removed": _("Participant removed"),
    "meetings.session.added": _("Session added"),
    "scholarships.allocation.previewed": _("Allocation previewed"),
    "scholarships.endorsements.ranked": _("Endorsements ranked"),
    "scholarships.results.published": _("Results published"),
    "scholarships.review.assigned": _("Review assigned"),
    "scholarships.reviews.assigned": _("Reviews assigned"),
    "scholarships.review.submitted": _("Review submitted"),
    "webinars.attendance.imported": _("Attendance imported"),
    "webinars.registrations.imported": _("Registrations imported"),
    "webinars.survey.sent": _("Survey sent"),
}


def register_action_labels(labels: Mapping[str, Any]) -> None:
    """Give some of an app's action codes a fuller label (lazy translations), e.g. from `AppConfig.ready`."""
    _LABELS.update(labels)


def action_label(action: str) -> str:
    """The action's readable label in the active language."""
    if action in _LABELS:
        return str(_LABELS[action])
    verb = action.rsplit(".", 1)[-1]
    return str(VERBS[verb]) if verb in VERBS else verb.replace("_", " ").capitalize()
