"""A person's data rights: export everything, erasure by anonymisation, and retention by policy.

Export and erasure walk every relation that points at `Person` (and at the person's user
account), so a new app's records are covered without changing this module. Erasure keeps what
aggregate reports count — country, gender, institution, position level and every participation
record — and blanks names, email addresses, free text and uploaded files.
"""

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from faro.accounts.usertypes import Actor
from faro.core.audit import _plain, log_action
from faro.core.models import AuditEntry
from faro.directory.models import Person
from faro.portal.activity_sources import sources
from faro.portal.models import CalendarToken, ConsentRecord, DeliveryEvent, Mailing, MailingRecipient, Profile

SECRET_FIELDS = {"password", "token", "secret", "key_hash", "otp_secret"}
# Short text fields that name or reach a person; other CharFields (codes, statuses) are kept.
PERSONAL_CHAR_FIELDS = {
    "first_name",
    "last_name",
    "full_name",
    "name",
    "email",
    "phone",
    "mobile",
    "address",
    "passport_number",
    "document_number",
    "name_on_certificate",
    "display_name",
    "entered_name",
    "entered_position",
    "position",
    "recipient_name",
    "signature",
    "original_name",
    "filename",
}
# Links to what a person typed about themselves (a registration's member state as entered).
PERSONAL_LINKS = {"entered_member_state"}
# Structured fields holding what a person typed (registration answers, survey responses).
PERSONAL_JSON_FIELDS = {"answers", "responses"}
KEPT_ON_PERSON = {"member_state", "gender", "institution", "position_level", "preferred_language"}


class ErasureRefused(Exception):
    """The person cannot be erased now; `reasons` say why, in words."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = reasons


# --- Walking the relations ------------------------------------------------------------


def _is_faro_model(model: type[models.Model]) -> bool:
    return model.__module__.startswith("faro.") and model is not AuditEntry


def related_objects(obj: models.Model, *, depth: int = 2) -> Iterator[models.Model]:
    """Every Faro record pointing at `obj` (following cascades `depth` levels down)."""
    for relation in obj._meta.related_objects:
        if not _is_faro_model(relation.related_model):
            continue
        for item in _follow(obj, relation):
            yield item
            # Records the person owns (deleted with them, or protected because of them) are walked
            # one level further: an application's documents, reviews and offers are theirs too.
            if depth > 1 and getattr(relation, "on_delete", None) in (models.CASCADE, models.PROTECT):
                yield from related_objects(item, depth=depth - 1)


def _follow(obj: models.Model, relation: Any) -> list[models.Model]:
    accessor = relation.get_accessor_name()
    if relation.one_to_one:
        try:
            return [getattr(obj, accessor)]
        except relation.related_model.DoesNotExist:
            return []
    return list(getattr(obj, accessor).all())


def _owned_records(person: Person) -> Iterator[models.Model]:
    yield from related_objects(person)
    user = getattr(person, "user", None) if hasattr(person, "user") else None
    if user is not None:
        yield user
        yield from related_objects(user, depth=1)


def _label(obj: models.Model) -> str:
    return obj._meta.label_lower


# --- Export -----------------------------------------------------------------------------


def serialise(obj: models.Model) -> dict[str, Any]:
    """The record's fields as plain JSON data, secrets left out."""
    fields = {
        f.name: _plain(getattr(obj, f.attname))
        for f in obj._meta.concrete_fields
        if f.name not in SECRET_FIELDS and not f.name.endswith("_hash")
    }
    for m2m in obj._meta.many_to_many:
        fields[m2m.name] = sorted(getattr(obj, m2m.name).values_list("pk", flat=True))
    return {"model": _label(obj), "id": obj.pk, "fields": fields}


def export_person_data(person: Person) -> dict[str, Any]:
    """Everything Faro holds about the person, grouped by kind of record."""
    records: dict[str, list[dict[str, Any]]] = {}
    seen: set[tuple[str, Any]] = set()
    for obj in _owned_records(person):
        if (_label(obj), obj.pk) not in seen:
            seen.add((_label(obj), obj.pk))
            records.setdefault(_label(obj), []).append(serialise(obj))
    history = [
        {"when": e.created_at.isoformat(), "action": e.action, "changes": e.changes}
        for e in AuditEntry.objects.for_object(person)
    ]
    return {
        "format": "faro-personal-data/1",
        "exported_at": timezone.now().isoformat(),
        "person": serialise(person),
        "records": records,
        "history": history,
    }


# --- Erasure ----------------------------------------------------------------------------


def erasure_blockers(person: Person) -> list[str]:
    """Why the person cannot be erased now (an open application, an upcoming registration)."""
    return [reason for source in sources() for reason in source.erasure_blockers(person)]


def _is_personal_text(f: models.Field[Any, Any]) -> bool:
    """Free text, email addresses and the short fields that name or reach someone."""
    if isinstance(f, models.EmailField | models.TextField):
        return True
    return isinstance(f, models.CharField) and f.name in PERSONAL_CHAR_FIELDS


def scrub(obj: models.Model) -> None:
    """Blank the personal text and files of one record; keep codes, dates, statuses and links."""
    blanked: dict[str, Any] = {}
    for f in obj._meta.concrete_fields:
        if f.name in PERSONAL_LINKS and getattr(obj, f.attname) is not None:
            blanked[f.attname] = None
            continue
        if f.primary_key or f.is_relation or f.choices or f.unique or f.name in SECRET_FIELDS:
            continue
        value = getattr(obj, f.attname)
        if not value:
            continue
        if isinstance(f, models.FileField):
            value.delete(save=False)
            blanked[f.attname] = ""
        elif _is_personal_text(f):
            blanked[f.attname] = None if f.null else ""
        elif isinstance(f, models.JSONField) and f.name in PERSONAL_JSON_FIELDS:
            blanked[f.attname] = type(value)()
    if blanked:
        type(obj)._default_manager.filter(pk=obj.pk).update(**blanked)


@transaction.atomic
def erase_person(person: Person, *, acting_user: Actor) -> None:
    """Anonymise the person, or raise ErasureRefused with the reasons and change nothing."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    if reasons := erasure_blockers(person):
        raise ErasureRefused(reasons)
    user = getattr(person, "user", None) if hasattr(person, "user") else None
    Profile.objects.filter(person=person).delete()
    CalendarToken.objects.filter(person=person).delete()
    ConsentRecord.objects.filter(person=person).delete()
    for obj in list(related_objects(person)):
        scrub(obj)
    person.first_name = person.last_name = person.position = person.timezone = ""
    person.email = None
    person.save()
    if user is not None:
        user.email, user.full_name, user.is_active = f"erased-{user.pk}@invalid.invalid", "", False
        user.set_unusable_password()
        user.save()
    AuditEntry.objects.filter(content_type__model="person", object_id=str(person.pk)).update(
        object_repr="—", changes={}
    )
    log_action(person, "portal.person.erased", user=acting_user, data={"kept": sorted(KEPT_ON_PERSON)})


# --- Retention --------------------------------------------------------------------------


@dataclass(frozen=True)
class RetentionRule:
    """Records of one kind are removed or anonymised `years` after they stop being needed."""

    kind: str
    label: Any
    years: int
    apply: Callable[[datetime.datetime], int]


def _old_mailing_recipients(before: datetime.datetime) -> int:
    # Mailing.recipient_count keeps the figure reports show.
    deleted, _by_model = MailingRecipient.objects.filter(mailing__sent_at__lt=before).delete()
    return deleted


def _old_delivery_events(before: datetime.datetime) -> int:
    deleted, _by_model = DeliveryEvent.objects.filter(created_at__lt=before).delete()
    return deleted


def _old_draft_mailings(before: datetime.datetime) -> int:
    deleted, _by_model = Mailing.objects.filter(status=Mailing.Status.DRAFT, updated_at__lt=before).delete()
    return deleted


def retention_rules() -> list[RetentionRule]:
    """The policy: Faro's own rules plus those each programme adapter declares."""
    years = getattr(settings, "FARO_RETENTION_YEARS", {})
    rules = [
        RetentionRule("mailing_recipients", _("Who received each mailing"), 2, _old_mailing_recipients),
        RetentionRule("delivery_events", _("Bounce and unsubscribe events"), 3, _old_delivery_events),
        RetentionRule("draft_mailings", _("Mailing drafts never sent"), 1, _old_draft_mailings),
    ]
    for source in sources():
        rules.extend(getattr(source, "retention_rules", list)())
    return [RetentionRule(r.kind, r.label, years.get(r.kind, r.years), r.apply) for r in rules]


def apply_retention(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Apply every rule once; running it again the same day changes nothing. {kind: records}."""
    now = now or timezone.now()
    done = {}
    for rule in retention_rules():
        with transaction.atomic():
            done[rule.kind] = rule.apply(now - datetime.timedelta(days=365 * rule.years))
    return done
