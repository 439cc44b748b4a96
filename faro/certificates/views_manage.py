"""Staff pages: templates, eligibility, bulk issue with progress, ZIP, revoke and re-issue."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from faro.accounts.decorators import staff_required
from faro.accounts.usertypes import AuthenticatedRequest
from faro.certificates import services
from faro.certificates.forms import (
    BulkIssueForm,
    LogoForm,
    OverrideForm,
    ReissueForm,
    RevokeForm,
    SignatoryForm,
    TemplateForm,
)
from faro.certificates.models import Certificate, CertificateTemplate, EligibilityOverride, Signatory, TemplateLogo
from faro.certificates.programme_adapters import ADAPTERS, available_kinds, facts_of, get_source, source_type_for
from faro.core.fetch import get_for_user_or_404
from faro.core.models import AuditEntry


def _source_or_404(kind: str, source_id: int) -> Any:
    source = get_source(kind, source_id) if kind in ADAPTERS else None
    if source is None:
        raise Http404
    return source


@staff_required
def manage(request: HttpRequest) -> HttpResponse:
    """Templates, the sources of each kind, and a code look-up."""
    query = request.GET.get("q", "").strip()
    found = Certificate.objects.filter(holder_name__icontains=query)[:50] if query else []
    sources = [(kind, services.kind_label(kind), ADAPTERS[kind].choices().reverse()[:50]) for kind in available_kinds()]
    context = {
        "templates": CertificateTemplate.objects.all(),
        "sources": sources,
        "query": query,
        "found": found,
        "total": Certificate.objects.count(),
    }
    return render(request, "certificates/manage/index.html", context)


@staff_required
def template_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    template = get_object_or_404(CertificateTemplate, pk=pk) if pk else None
    form = TemplateForm(request.POST or None, instance=template)
    if request.method == "POST" and form.is_valid():
        saved = services.save_template(form.save(commit=False), acting_user=request.user)
        messages.success(request, _("Template saved."))
        return redirect("certificates:template_edit", pk=saved.pk)
    context = {
        "form": form,
        "template": template,
        "signatory_form": SignatoryForm(),
        "logo_form": LogoForm(),
        "history": AuditEntry.objects.for_object(template) if template else [],
    }
    return render(request, "certificates/manage/template.html", context)


@staff_required
@require_POST
def signatory_add(request: HttpRequest, pk: int) -> HttpResponse:
    template = get_object_or_404(CertificateTemplate, pk=pk)
    form = SignatoryForm(request.POST)
    if form.is_valid():
        services.add_signatory(template, acting_user=request.user, **form.cleaned_data)
        messages.success(request, _("Signatory added."))
    else:
        messages.error(request, _("Give the signatory's name and title."))
    return redirect("certificates:template_edit", pk=pk)


@staff_required
@require_POST
def signatory_remove(request: HttpRequest, pk: int) -> HttpResponse:
    signatory = get_object_or_404(Signatory, pk=pk)
    template_pk = signatory.template_id
    services.remove_signatory(signatory, acting_user=request.user)
    return redirect("certificates:template_edit", pk=template_pk)


@staff_required
@require_POST
def logo_add(request: HttpRequest, pk: int) -> HttpResponse:
    template = get_object_or_404(CertificateTemplate, pk=pk)
    form = LogoForm(request.POST, request.FILES)
    if not form.is_valid():
        refused = [str(m) for m in form.errors.get("image", [])] if request.FILES.get("image") else []
        messages.error(request, " ".join(refused or [_("Give the institution and choose a logo file.")]))
        return redirect("certificates:template_edit", pk=pk)
    try:
        data = form.cleaned_data
        services.add_logo(template, acting_user=request.user, label=data["label"], upload=data["image"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Logo added."))
    return redirect("certificates:template_edit", pk=pk)


@staff_required
@require_POST
def logo_remove(request: HttpRequest, pk: int) -> HttpResponse:
    logo = get_object_or_404(TemplateLogo, pk=pk)
    template_pk = logo.template_id
    services.remove_logo(logo, acting_user=request.user)
    return redirect("certificates:template_edit", pk=template_pk)


def _source_context(kind: str, source: Any, form: BulkIssueForm, override_form: OverrideForm) -> dict[str, Any]:
    template = services.default_template(kind)
    issued = Certificate.objects.for_source(kind, source)
    overrides = EligibilityOverride.objects.filter(
        kind=kind, source_type=source_type_for(source), source_id=source.pk
    ).select_related("person")
    return {
        "kind": kind,
        "kind_label": services.kind_label(kind),
        "source": source,
        "facts": facts_of(kind, source),
        "is_held": ADAPTERS[kind].is_held(source),
        "eligible_count": services.eligible_people(kind, source).count(),
        "issued_count": issued.live().count(),
        "certificates": issued.select_related("holder")[:200],
        "overrides": overrides,
        "missing_languages": template.missing_languages() if template else [],
        "form": form,
        "override_form": override_form,
    }


@staff_required
def source(request: HttpRequest, kind: str, source_id: int) -> HttpResponse:
    """Who is eligible, what is issued, warnings, and the bulk-issue button."""
    obj = _source_or_404(kind, source_id)
    context = _source_context(kind, obj, BulkIssueForm(kind=kind), OverrideForm())
    return render(request, "certificates/manage/source.html", context)


@staff_required
@require_POST
def source_issue(request: HttpRequest, kind: str, source_id: int) -> HttpResponse:
    """Start the bulk issue and show its progress page."""
    obj = _source_or_404(kind, source_id)
    form = BulkIssueForm(request.POST, kind=kind)
    if not form.is_valid():
        return render(request, "certificates/manage/source.html", _source_context(kind, obj, form, OverrideForm()))
    try:
        job = services.start_bulk_issue(kind, obj, acting_user=request.user, template=form.cleaned_data["template"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("certificates:source", kind=kind, source_id=source_id)
    back = reverse("certificates:source", kwargs={"kind": kind, "source_id": source_id})
    return redirect(reverse("core:job", kwargs={"pk": job.pk}) + f"?next={back}")


@staff_required
@require_POST
def source_override(request: AuthenticatedRequest, kind: str, source_id: int) -> HttpResponse:
    """Add or exclude one person, with the reason."""
    obj = _source_or_404(kind, source_id)
    form = OverrideForm(request.POST)
    if not form.is_valid():
        context = _source_context(kind, obj, BulkIssueForm(kind=kind), form)
        return render(request, "certificates/manage/source.html", context, status=400)
    data = form.cleaned_data
    services.set_eligibility(
        kind, obj, data["email"], acting_user=request.user, action=data["action"], reason=data["reason"]
    )
    messages.success(request, _("Eligibility updated."))
    return redirect("certificates:source", kind=kind, source_id=source_id)


@staff_required
def source_zip(request: HttpRequest, kind: str, source_id: int) -> HttpResponse:
    obj = _source_or_404(kind, source_id)
    response = HttpResponse(services.zip_certificates(kind, obj), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="certificates-{kind}-{source_id}.zip"'
    return response


def _certificate(request: HttpRequest, code: str) -> Certificate:
    return get_for_user_or_404(Certificate, request.user, code=code.replace("-", "").upper())


@staff_required
def certificate_detail(request: HttpRequest, code: str) -> HttpResponse:
    certificate = _certificate(request, code)
    context = {
        "certificate": certificate,
        "revoke_form": RevokeForm(),
        "reissue_form": ReissueForm(initial={"holder_name": certificate.holder.full_name}),
        "history": AuditEntry.objects.for_object(certificate),
    }
    return render(request, "certificates/manage/certificate.html", context)


@staff_required
@require_POST
def certificate_revoke(request: HttpRequest, code: str) -> HttpResponse:
    certificate = _certificate(request, code)
    form = RevokeForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Give the reason for the revocation."))
        services.revoke_certificate(certificate, acting_user=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("Certificate revoked."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("certificates:manage_certificate", code=certificate.display_code)


@staff_required
@require_POST
def certificate_reissue(request: HttpRequest, code: str) -> HttpResponse:
    certificate = _certificate(request, code)
    form = ReissueForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Type the corrected name."))
        new = services.reissue_certificate(certificate, acting_user=request.user, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("certificates:manage_certificate", code=certificate.display_code)
    messages.success(request, _("Certificate re-issued under the corrected name."))
    return redirect("certificates:manage_certificate", code=new.display_code)
