"""The one audit log. Services call `log_action`; nothing else writes entries."""

import datetime
import decimal
import uuid
from collections.abc import Mapping
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import pgettext_lazy

from faro.core import pagecache
from faro.core.models import AuditEntry
from faro.lib.inserts import insert, insert_one


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
    user: AbstractBaseUser | AnonymousUser | None = None,
    changes: dict[str, list[Any]] | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """Record that `user` did `action` (e.g. "directory.person.merged") to `obj`."""
    pagecache.bump_version_on_commit()
    entry = _entry(obj, action, user=user, changes=changes, data=data)
    insert_one(entry)
    return entry


def log_actions(
    obj: models.Model,
    actions: list[tuple[str, dict[str, Any]]],
    *,
    user: AbstractBaseUser | AnonymousUser | None = None,
) -> list[AuditEntry]:
    """Record that `user` did several `(action, data)` to `obj` in one request (a draft saved, then
    submitted): the same entries, in this order, as one `log_action` each, written by one INSERT."""
    pagecache.bump_version_on_commit()
    return insert([_entry(obj, action, user=user, data=data) for action, data in actions])


def _entry(
    obj: models.Model,
    action: str,
    *,
    user: AbstractBaseUser | AnonymousUser | None,
    changes: dict[str, list[Any]] | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    actor = user if getattr(user, "is_authenticated", False) else None
    return AuditEntry(
        actor=actor,  # type: ignore[misc]  # the AUTH_USER_MODEL, which core names without importing its app
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
    "accepted": pgettext_lazy("audit action", "Accepted"),
    "accredited": pgettext_lazy("audit action", "Accredited"),
    "added": pgettext_lazy("audit action", "Added"),
    "advanced": pgettext_lazy("audit action", "Moved to the next stage"),
    "answered": pgettext_lazy("audit action", "Answered"),
    "assigned": pgettext_lazy("audit action", "Assigned"),
    "attached": pgettext_lazy("audit action", "Document attached"),
    "bounced": pgettext_lazy("audit action", "Mail bounced"),
    "cancelled": pgettext_lazy("audit action", "Cancelled"),
    "checked_in": pgettext_lazy("audit action", "Checked in"),
    "closed": pgettext_lazy("audit action", "Closed"),
    "corrections_requested": pgettext_lazy("audit action", "Corrections requested"),
    "created": pgettext_lazy("audit action", "Created"),
    "credentials_uploaded": pgettext_lazy("audit action", "Credentials uploaded"),
    "declined": pgettext_lazy("audit action", "Declined"),
    "deleted": pgettext_lazy("audit action", "Deleted"),
    "ended": pgettext_lazy("audit action", "Ended"),
    "endorsed": pgettext_lazy("audit action", "Endorsed"),
    "erased": pgettext_lazy("audit action", "Personal data erased"),
    "excluded": pgettext_lazy("audit action", "Excluded"),
    "expired": pgettext_lazy("audit action", "Expired"),
    "file_added": pgettext_lazy("audit action", "File added"),
    "held": pgettext_lazy("audit action", "Marked as held"),
    "imported": pgettext_lazy("audit action", "Imported"),
    "included": pgettext_lazy("audit action", "Added"),
    "invited": pgettext_lazy("audit action", "Invitations sent"),
    "issued": pgettext_lazy("audit action", "Issued"),
    "locked_out": pgettext_lazy("audit action", "Locked out"),
    "logged_in": pgettext_lazy("audit action", "Logged in"),
    "logo_added": pgettext_lazy("audit action", "Logo added"),
    "logo_removed": pgettext_lazy("audit action", "Logo removed"),
    "membership_added": pgettext_lazy("audit action", "Membership added"),
    "membership_changed": pgettext_lazy("audit action", "Membership changed"),
    "merged": pgettext_lazy("audit action", "Merged"),
    "not_endorsed": pgettext_lazy("audit action", "Not endorsed"),
    "overridden": pgettext_lazy("audit action", "Overridden"),
    "preferences_changed": pgettext_lazy("audit action", "Preferences changed"),
    "previewed": pgettext_lazy("audit action", "Previewed"),
    "promoted": pgettext_lazy("audit action", "Promoted from the waiting list"),
    "published": pgettext_lazy("audit action", "Published"),
    "ranked": pgettext_lazy("audit action", "Ranked"),
    "registered": pgettext_lazy("audit action", "Registered"),
    "removed": pgettext_lazy("audit action", "Removed"),
    "renewed": pgettext_lazy("audit action", "Renewed"),
    "replaced": pgettext_lazy("audit action", "Replaced"),
    "resumed": pgettext_lazy("audit action", "Resumed"),
    "revised": pgettext_lazy("audit action", "Revised"),
    "revoked": pgettext_lazy("audit action", "Revoked"),
    "role_assigned": pgettext_lazy("audit action", "Role assigned"),
    "saved": pgettext_lazy("audit action", "Saved"),
    "sent": pgettext_lazy("audit action", "Sent"),
    "signatory_added": pgettext_lazy("audit action", "Signatory added"),
    "signatory_removed": pgettext_lazy("audit action", "Signatory removed"),
    "started": pgettext_lazy("audit action", "Started"),
    "status_added": pgettext_lazy("audit action", "Status added"),
    "status_changed": pgettext_lazy("audit action", "Status changed"),
    "submitted": pgettext_lazy("audit action", "Submitted"),
    "subscribed": pgettext_lazy("audit action", "Subscribed"),
    "test_sent": pgettext_lazy("audit action", "Test sent"),
    "tested": pgettext_lazy("audit action", "Tested"),
    "two_factor_disabled": pgettext_lazy("audit action", "Two-factor sign-in turned off"),
    "two_factor_enabled": pgettext_lazy("audit action", "Two-factor sign-in turned on"),
    "unpublished": pgettext_lazy("audit action", "Unpublished"),
    "unsubscribed": pgettext_lazy("audit action", "Unsubscribed"),
    "updated": pgettext_lazy("audit action", "Updated"),
    "withdrawn": pgettext_lazy("audit action", "Withdrawn"),
}
# Fuller labels the apps register for codes of theirs (see register_action_labels).
_LABELS: dict[str, Any] = {}


def register_action_labels(labels: Mapping[str, Any]) -> None:
    """Give some of an app's action codes a fuller label (lazy translations), e.g. from `AppConfig.ready`."""
    _LABELS.update(labels)


def is_labelled(action: str) -> bool:
    """Whether the action has a label of its own or a listed verb (else it reads as its code)."""
    return action in _LABELS or action.rsplit(".", 1)[-1] in VERBS


def action_label(action: str) -> str:
    """The action's readable label in the active language."""
    if action in _LABELS:
        return str(_LABELS[action])
    verb = action.rsplit(".", 1)[-1]
    return str(VERBS[verb]) if verb in VERBS else verb.replace("_", " ").capitalize()
