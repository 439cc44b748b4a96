"""Every write about certificates: templates, eligibility, issue (one or in bulk), revoke, re-issue."""

import io
import zipfile
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from faro.accounts.models import User
from faro.accounts.usertypes import Actor
from faro.certificates.models import (
    Certificate,
    CertificateTemplate,
    EligibilityOverride,
    Kind,
    Signatory,
    TemplateLogo,
    add_months,
)
from faro.certificates.programme_adapters import ADAPTERS, SourceFacts, facts_of, partner_ids, source_type_for
from faro.core import outbox
from faro.core.audit import diff, log_action, snapshot
from faro.core.events import publish_event
from faro.core.jobs import advance_job, fail_job, finish_job, heartbeat, set_job_progress, start_job
from faro.directory.models import Person
from faro.lib.uploads import check_upload

LOGO_KINDS = {"png", "jpeg"}
LOGO_MAX_BYTES = 2 * 1024 * 1024


def batch_size() -> int:
    """Certificates per transaction in a bulk issue (and progress tick): `FARO_CERTIFICATES_BATCH`."""
    from django.conf import settings

    return int(settings.FARO_CERTIFICATES_BATCH)


# --- Templates -------------------------------------------------------------------------


def default_template(kind: str) -> CertificateTemplate | None:
    return CertificateTemplate.objects.filter(kind=kind, is_default=True).first()


@transaction.atomic
def save_template(template: CertificateTemplate, *, acting_user: Actor) -> CertificateTemplate:
    """Create or update a template; making it the default unsets the previous default."""
    before = snapshot(CertificateTemplate.objects.get(pk=template.pk)) if template.pk else {}
    if template.is_default:
        CertificateTemplate.objects.filter(kind=template.kind, is_default=True).exclude(pk=template.pk).update(
            is_default=False
        )
    template.save()
    verb = "updated" if before else "created"
    log_action(template, f"certificates.template.{verb}", user=acting_user, changes=diff(before, snapshot(template)))
    return template


@transaction.atomic
def add_signatory(template: CertificateTemplate, *, acting_user: Actor, name: str, title: dict[str, str]) -> Signatory:
    signatory = Signatory.objects.create(
        template=template, name=name, title=title, position=template.signatories.count()
    )
    template.save(update_fields=["updated_at"])  # new version: cached PDFs are re-rendered
    log_action(template, "certificates.template.signatory_added", user=acting_user, data={"name": name})
    return signatory


@transaction.atomic
def remove_signatory(signatory: Signatory, *, acting_user: Actor) -> None:
    template = signatory.template
    log_action(template, "certificates.template.signatory_removed", user=acting_user, data={"name": signatory.name})
    signatory.delete()
    template.save(update_fields=["updated_at"])


@transaction.atomic
def add_logo(
    template: CertificateTemplate, *, acting_user: Actor, label: str, upload: UploadedFile[bytes]
) -> TemplateLogo:
    """Attach a partner's logo; the file must really be a PNG or JPEG image."""
    check_upload(upload, allowed=LOGO_KINDS, max_bytes=LOGO_MAX_BYTES)
    logo = TemplateLogo(template=template, label=label, position=template.logos.count())
    logo.image.save(upload.name or "logo", upload, save=True)
    template.save(update_fields=["updated_at"])
    log_action(template, "certificates.template.logo_added", user=acting_user, data={"label": label})
    return logo


@transaction.atomic
def remove_logo(logo: TemplateLogo, *, acting_user: Actor) -> None:
    template = logo.template
    log_action(template, "certificates.template.logo_removed", user=acting_user, data={"label": logo.label})
    logo.delete()
    template.save(update_fields=["updated_at"])


# --- Eligibility -----------------------------------------------------------------------


def _overrides(kind: str, source: models.Model) -> QuerySet[EligibilityOverride]:
    return EligibilityOverride.objects.filter(kind=kind, source_type=source_type_for(source), source_id=source.pk)


def eligible_people(kind: str, source: models.Model) -> QuerySet[Person]:
    """The programme's rule, plus people staff added, minus people staff excluded."""
    overrides = _overrides(kind, source)
    ruled = ADAPTERS[kind].eligible(source).values("pk")
    added = overrides.filter(action=EligibilityOverride.Action.INCLUDE).values("person_id")
    excluded = overrides.filter(action=EligibilityOverride.Action.EXCLUDE).values("person_id")
    return Person.objects.filter(models.Q(pk__in=ruled) | models.Q(pk__in=added)).exclude(pk__in=excluded)


@transaction.atomic
def set_eligibility(
    kind: str, source: models.Model, person: Person, *, acting_user: User | None, action: str, reason: str
) -> EligibilityOverride:
    """Add someone to, or exclude them from, a source's certificates, saying why."""
    if not reason.strip():
        raise ValidationError(_("Say why this person is added or excluded."), code="reason_required")
    override, _created = EligibilityOverride.objects.update_or_create(
        kind=kind,
        source_type=source_type_for(source),
        source_id=source.pk,
        person=person,
        defaults={"action": action, "reason": reason.strip(), "created_by": acting_user},
    )
    log_action(
        source,
        f"certificates.eligibility.{action}d",
        user=acting_user,
        data={"person": person.pk, "name": person.full_name, "reason": reason.strip(), "kind": kind},
    )
    return override


# --- Issue -----------------------------------------------------------------------------


def _new_certificate(
    kind: str,
    source: models.Model,
    person: Person,
    template: CertificateTemplate,
    acting_user: User | None,
    facts: SourceFacts | None = None,
) -> Certificate:
    facts = facts or facts_of(kind, source)
    expires = add_months(facts.achieved_on, template.validity_months) if template.validity_months else None
    return Certificate(
        kind=kind,
        template=template,
        source_type=source_type_for(source),
        source_id=source.pk,
        holder=person,
        holder_name=person.full_name,
        achievement=facts.title,
        issuer_name=facts.issuer,
        achieved_on=facts.achieved_on,
        expires_on=expires,
        issued_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
    )


def check_can_issue(kind: str, source: models.Model, template: CertificateTemplate | None) -> None:
    """Raise a clear ValidationError when certificates of `source` cannot be issued yet."""
    if template is None:
        raise ValidationError(_("There is no certificate template for this kind yet; create one first."))
    if template.kind != kind:
        raise ValidationError(_("This template is for another kind of certificate."))
    if not ADAPTERS[kind].is_held(source):
        raise ValidationError(_("This has not been held yet, so there is no attendance to certify."), code="not_held")


@transaction.atomic
def issue_certificate(
    kind: str, source: models.Model, person: Person, *, acting_user: User | None, template: CertificateTemplate
) -> Certificate:
    """Issue one certificate (or return the live one the person already has)."""
    check_can_issue(kind, source, template)
    existing = Certificate.objects.for_source(kind, source).live().filter(holder=person).first()
    if existing:
        return existing
    certificate = _new_certificate(kind, source, person, template, acting_user)
    certificate.save()
    log_action(certificate, "certificates.certificate.issued", user=acting_user, data={"code": certificate.code})
    _announce("certificate.issued", [certificate], partner_ids(kind, source))
    mail_certificates([certificate.pk])
    return certificate


def _announce(event: str, certificates: list[Certificate], institution_ids: list[int]) -> None:
    """Publish one domain event per source (partners' webhooks listen), after commit.

    A bulk batch is one event listing its codes, so 3,000 certificates are a handful of
    webhook deliveries, not 3,000.
    """
    by_source: dict[tuple[str, int], list[str]] = {}
    for certificate in certificates:
        by_source.setdefault((certificate.kind, certificate.source_id), []).append(certificate.display_code)
    for (kind, source_id), codes in by_source.items():
        payload = {"kind": kind, "source": source_id, "codes": codes}
        publish_event(event, payload, institution_ids=institution_ids)


@transaction.atomic
def start_bulk_issue(
    kind: str, source: models.Model, *, acting_user: Actor, template: CertificateTemplate | None
) -> Any:
    """Check, then start the background job that issues every eligible certificate of `source`."""
    from faro.certificates.tasks import issue_certificates_task

    check_can_issue(kind, source, template)
    assert template is not None
    title = _("Certificates: %(source)s") % {"source": facts_of(kind, source).title}
    args = [kind, source.pk, template.pk, getattr(acting_user, "pk", None)]
    return start_job(
        kind="certificates.bulk", title=title[:200], total=0, user=acting_user, task=issue_certificates_task, args=args
    )


def issue_eligible_certificates(
    kind: str,
    source: models.Model,
    *,
    acting_user: User | None,
    template: CertificateTemplate,
    job_id: int | None = None,
) -> int:
    """Issue the missing certificates of every eligible person, in batches; returns how many.

    Idempotent: the unique (kind, source, holder) constraint and `ignore_conflicts` mean a
    second run, or one after a crash midway, only fills in what is missing; each mail is claimed
    on its certificate, so a concurrent run or a resumed one mails nobody twice.
    """
    check_can_issue(kind, source, template)
    people = list(eligible_people(kind, source).order_by("pk"))
    have = set(Certificate.objects.for_source(kind, source).live().values_list("holder_id", flat=True))
    missing = [person for person in people if person.pk not in have]
    if job_id:
        set_job_progress(job_id, done=len(people) - len(missing), total=len(people))
    partners = partner_ids(kind, source)
    facts = facts_of(kind, source)  # once per source, not per certificate
    size = batch_size()
    for start in range(0, len(missing), size):
        batch = missing[start : start + size]
        with transaction.atomic():
            objects = [_new_certificate(kind, source, p, template, acting_user, facts) for p in batch]
            Certificate.objects.bulk_create(objects, ignore_conflicts=True, batch_size=size)
            # only those really inserted (a concurrent run may have won a conflict)
            inserted = Certificate.objects.filter(code__in=[c.code for c in objects]).only("code", "kind", "source_id")
            _announce("certificate.issued", list(inserted), partners)
        if job_id:
            advance_job(job_id, by=len(batch))
    if missing or job_id:  # a background re-run that found nothing to do is not worth an entry
        _log_bulk(kind, source, acting_user, created=len(missing), job_id=job_id)
    mail_unmailed(kind, source, job_id=job_id)
    return len(missing)


@transaction.atomic
def _log_bulk(kind: str, source: models.Model, acting_user: Actor, *, created: int, job_id: int | None) -> None:
    log_action(
        source, "certificates.bulk.issued", user=acting_user, data={"kind": kind, "created": created, "job": job_id}
    )


def run_bulk_issue(job_id: int, kind: str, source_id: int, template_id: int, user_id: int | None) -> None:
    """The body of the Celery task: load by primary keys, issue, report on the job."""
    from faro.accounts.models import User
    from faro.certificates.programme_adapters import get_source
    from faro.core.models import Job

    if Job.objects.filter(pk=job_id, status=Job.Status.DONE).exists():
        return  # a late duplicate of a job already finished (e.g. after a resume): nothing to do
    source = get_source(kind, source_id)
    template = CertificateTemplate.objects.get(pk=template_id)
    user = User.objects.filter(pk=user_id).first() if user_id else None
    try:
        created = issue_eligible_certificates(kind, source, acting_user=user, template=template, job_id=job_id)
    except Exception as error:
        fail_job(job_id, message=str(error))
        raise
    done = ngettext("%(count)s new certificate issued.", "%(count)s new certificates issued.", created) % {
        "count": created
    }
    finish_job(job_id, result={"created": created}, message=done)


# --- Mail ------------------------------------------------------------------------------


def mail_unmailed(kind: str, source: models.Model, *, job_id: int | None = None) -> None:
    """Mail every issued certificate of `source` whose holder has not been told yet."""
    pending = Certificate.objects.for_source(kind, source).filter(
        status=Certificate.Status.ISSUED, mailed_at__isnull=True, holder__email__isnull=False
    )
    ids = list(pending.order_by("pk").values_list("pk", flat=True))
    size = batch_size()
    for start in range(0, len(ids), size):
        mail_certificates(ids[start : start + size])
        if job_id:
            heartbeat(job_id)


@transaction.atomic
def mail_certificates(ids: list[int]) -> int:
    """Queue one mail per certificate, in its holder's language, with the links. Returns how many.

    Each certificate's mail is claimed first (`mailed_at` from empty to now, one conditional
    update) in the same transaction as its outbox message: whoever wins the claim queues the
    mail, everyone else skips it, so concurrent or repeated runs mail each holder once.
    """
    from django.conf import settings

    certificates = Certificate.objects.filter(pk__in=ids, mailed_at__isnull=True).select_related("holder")
    verify_base = settings.SITE_URL + reverse("certificates:certificate_verify", args=["CODE"]).removesuffix("CODE")
    mine_url = settings.SITE_URL + reverse("certificates:my_certificates")
    queued = 0
    for certificate in certificates.order_by("pk"):
        holder = certificate.holder
        if not holder.email or not _claim_mail(certificate):
            continue
        context = {
            "certificate": certificate,
            "achievement": certificate.achievement.in_language(holder.preferred_language),
            "verify_url": verify_base + certificate.display_code,
            "mine_url": mine_url,
        }
        outbox.mail_each("certificates/emails/issued", context, [holder])
        queued += 1
    return queued


def _claim_mail(certificate: Certificate) -> bool:
    """True for the one caller whose update marked the certificate mailed; False for the rest."""
    return bool(Certificate.objects.filter(pk=certificate.pk, mailed_at__isnull=True).update(mailed_at=timezone.now()))


# --- Lifecycle -------------------------------------------------------------------------


@transaction.atomic
def revoke_certificate(certificate: Certificate, *, acting_user: Actor, reason: str) -> Certificate:
    """Revoke with a reason; the verification page and the status list say so at once."""
    if not reason.strip():
        raise ValidationError(_("Give the reason for the revocation."), code="reason_required")
    if certificate.status != Certificate.Status.ISSUED:
        raise ValidationError(_("Only a certificate in force can be revoked."), code="not_in_force")
    before = snapshot(certificate)
    certificate.status = Certificate.Status.REVOKED
    certificate.revoked_at = timezone.now()
    certificate.revocation_reason = reason.strip()
    certificate.save()
    log_action(
        certificate, "certificates.certificate.revoked", user=acting_user, changes=diff(before, snapshot(certificate))
    )
    _announce("certificate.revoked", [certificate], _partners_of(certificate))
    return certificate


def _partners_of(certificate: Certificate) -> list[int]:
    if certificate.kind not in ADAPTERS:
        return []
    source = certificate.source_type.get_object_for_this_type(pk=certificate.source_id)
    return partner_ids(certificate.kind, source)


@transaction.atomic
def reissue_certificate(certificate: Certificate, *, acting_user: Actor, holder_name: str) -> Certificate:
    """Re-issue under a corrected name: a new code; the old one says it was replaced by it."""
    holder_name = " ".join(holder_name.split())
    if not holder_name:
        raise ValidationError(_("Type the corrected name."), code="name_required")
    if certificate.status != Certificate.Status.ISSUED:
        raise ValidationError(_("Only a certificate in force can be re-issued."), code="not_in_force")
    certificate.status = Certificate.Status.REPLACED
    certificate.save(update_fields=["status", "updated_at"])
    fields = {f.attname: getattr(certificate, f.attname) for f in Certificate._meta.concrete_fields}
    for name in ["id", "code", "created_at", "updated_at", "mailed_at", "replaced_by_id", "status"]:
        fields.pop(name)
    new = Certificate.objects.create(**{**fields, "holder_name": holder_name, "issued_at": timezone.now()})
    certificate.replaced_by = new
    certificate.save(update_fields=["replaced_by", "updated_at"])
    data = {"old": certificate.code, "new": new.code, "name": [certificate.holder_name, holder_name]}
    log_action(certificate, "certificates.certificate.replaced", user=acting_user, data=data)
    log_action(new, "certificates.certificate.issued", user=acting_user, data={"replaces": certificate.code})
    _announce("certificate.revoked", [certificate], _partners_of(certificate))
    _announce("certificate.issued", [new], _partners_of(certificate))
    mail_certificates([new.pk])
    return new


def zip_certificates(kind: str, source: models.Model) -> bytes:
    """Every certificate in force of `source`, each in its holder's language, as one ZIP."""
    from faro.certificates.pdf import cached_pdf

    buffer = io.BytesIO()
    live = Certificate.objects.for_source(kind, source).filter(status=Certificate.Status.ISSUED)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for certificate in live.select_related("holder", "template"):
            language = certificate.holder.preferred_language
            archive.writestr(f"{certificate.display_code}-{language}.pdf", cached_pdf(certificate, language))
    return buffer.getvalue()


def kind_label(kind: str) -> str:
    return str(Kind(kind).label)
