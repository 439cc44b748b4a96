"""Public pages: verify a certificate by its code, the credential, the issuer's keys; a holder's own page."""

import json

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_http_methods

from faro.certificates import checking
from faro.certificates.credentials import (
    CONTEXTS,
    achievement_of,
    certificate_for_achievement,
    credential_jwt,
    status_list_jwt,
)
from faro.certificates.dataintegrity import credential_jsonld
from faro.certificates.forms import CredentialCheckForm, VerifyForm
from faro.certificates.models import Certificate, normalise_code
from faro.certificates.signing import did_document, public_jwks
from faro.core.fetch import get_for_user_or_404
from faro.core.ratelimit import client_ip, hit
from faro.lib.collation import language_choices

VERIFY_LIMIT = 30  # look-ups per IP per minute: plenty for people, useless for guessing


def _limited(request: HttpRequest) -> bool:
    return not hit(f"certificates:verify:{client_ip(request)}", limit=VERIFY_LIMIT, window=60)


@require_GET
def verify_form(request: HttpRequest) -> HttpResponse:
    """Type a code; a valid-looking one goes to its verification page."""
    form = VerifyForm(request.GET or None)
    if form.is_valid():
        code = normalise_code(form.cleaned_data["code"])
        if code:
            return redirect("certificates:certificate_verify", code=Certificate(code=code).display_code)
        form.add_error("code", VerifyForm.base_fields["code"].help_text)
    return render(request, "certificates/verify_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def check_credential(request: HttpRequest) -> HttpResponse:
    """Check a credential file: signature, dates and what its status list says (or that it cannot be read)."""
    form = CredentialCheckForm(request.POST, request.FILES) if request.method == "POST" else CredentialCheckForm()
    check = None
    if request.method == "POST":
        if _limited(request):
            return render(request, "certificates/verify_problem.html", {"problem": "limited"}, status=429)
        if form.is_valid():
            check = checking.check_credential(form.cleaned_data["credential"])
    status = 400 if request.method == "POST" and check is None else 200
    return render(request, "certificates/check_credential.html", {"form": form, "check": check}, status=status)


@require_GET
def verify(request: HttpRequest, code: str) -> HttpResponse:
    """What anyone may know about a certificate: holder's name, achievement, date, issuer, status."""
    wanted = _credential_format(request.headers.get("Accept", ""))
    if wanted == "jwt":
        return verify_jwt(request, code)  # content negotiation: the credential itself
    if wanted == "jsonld":
        return verify_jsonld(request, code)
    if _limited(request):
        return render(request, "certificates/verify_problem.html", {"problem": "limited"}, status=429)
    normal = normalise_code(code)
    if normal is None:
        return render(request, "certificates/verify_problem.html", {"problem": "malformed", "code": code}, status=400)
    certificate = Certificate.objects.select_related("replaced_by").filter(code=normal).first()
    if certificate is None:
        return render(request, "certificates/verify_problem.html", {"problem": "unknown", "code": code}, status=404)
    context = {
        "certificate": certificate,
        "achievement": certificate.achievement.in_language(get_language()),
        "jwt_url": reverse("certificates:certificate_jwt", kwargs={"code": certificate.display_code}),
        "jsonld_url": reverse("certificates:certificate_jsonld", kwargs={"code": certificate.display_code}),
    }
    response = render(request, "certificates/verify.html", context)
    patch_vary_headers(response, ["Accept"])
    return response


@require_GET
def verify_jwt(request: HttpRequest, code: str) -> HttpResponse:
    """The certificate as an Open Badges 3.0 credential (VC-JWT)."""
    if _limited(request):
        return HttpResponse("Too many requests", status=429, content_type="text/plain")
    certificate = _certificate_or_404(code)
    algorithm = "RS256" if request.GET.get("alg") == "RS256" else "EdDSA"
    response = HttpResponse(credential_jwt(certificate, algorithm=algorithm), content_type=JWT_MEDIA_TYPE)
    if request.GET.get("download"):
        response["Content-Disposition"] = f'attachment; filename="{certificate.display_code}.jwt"'
    return response


# Open Badges 3.0, "Document Formats — Web Resource": a VC-JWT is served as text/plain, the credential with an
# embedded proof as application/vc+ld+json (VC 2.0's application/vc and plain application/ld+json are asked for too).
JWT_MEDIA_TYPE = "text/plain; charset=utf-8"
JSONLD_MEDIA_TYPE = "application/vc+ld+json"
JSONLD_TYPES = ("application/vc+ld+json", "application/ld+json")


def _credential_format(accept: str) -> str | None:
    """Which form of the credential an `Accept` header asks for, if any: "jwt", "jsonld" or None (the page)."""
    kinds = {part.split(";")[0].strip() for part in accept.lower().split(",")}
    if "application/vc+jwt" in kinds:
        return "jwt"
    if "application/vc" in kinds or kinds.intersection(JSONLD_TYPES):
        return "jsonld"
    return None


@require_GET
def verify_jsonld(request: HttpRequest, code: str) -> HttpResponse:
    """The certificate as JSON-LD with an embedded Data Integrity proof (eddsa-rdfc-2022)."""
    if _limited(request):
        return HttpResponse("Too many requests", status=429, content_type="text/plain")
    certificate = _certificate_or_404(code)
    body = json.dumps(credential_jsonld(certificate), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type=JSONLD_MEDIA_TYPE)
    if request.GET.get("download"):
        response["Content-Disposition"] = f'attachment; filename="{certificate.display_code}.jsonld"'
    return response


def _certificate_or_404(code: str) -> Certificate:
    normal = normalise_code(code)
    certificate = Certificate.objects.select_related("holder").filter(code=normal).first() if normal else None
    if certificate is None:
        raise Http404
    return certificate


@require_GET
def achievement(request: HttpRequest, kind: str, ref: str) -> HttpResponse:
    """The achievement a credential names: JSON for machines (Accept: application/json), a page for people."""
    certificate = certificate_for_achievement(kind, ref)
    if certificate is None:
        raise Http404
    data = achievement_of(certificate, get_language())
    if "json" in request.headers.get("Accept", "") or request.GET.get("format") == "json":
        return JsonResponse({"@context": CONTEXTS, **data}, json_dumps_params={"ensure_ascii": False})
    return render(request, "certificates/achievement.html", {"achievement": data, "certificate": certificate})


@require_GET
def jwks(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"keys": public_jwks()})


@require_GET
def did_json(request: HttpRequest) -> JsonResponse:
    return JsonResponse(did_document(), content_type="application/did+json")


@require_GET
def status_list(request: HttpRequest) -> HttpResponse:
    """The Bitstring Status List credential of revocations (VC-JWT)."""
    response = HttpResponse(status_list_jwt(), content_type="application/vc+jwt")
    response["Cache-Control"] = "max-age=300"
    return response


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """The signed-in person's certificates, with PDF (any language) and credential downloads."""
    certificates = Certificate.objects.for_user(request.user).filter(holder_id=request.user.person_id)  # type: ignore[union-attr]  # the view is behind login_required
    return render(
        request, "certificates/mine.html", {"certificates": certificates, "pdf_languages": language_choices()}
    )


@login_required
def certificate_pdf(request: HttpRequest, code: str) -> HttpResponse:
    """The PDF in the holder's language, or in ?lang= any other (holder and staff only)."""
    from faro.certificates.pdf import cached_pdf  # ReportLab: loaded by the first PDF, not by every worker

    certificate = get_for_user_or_404(Certificate, request.user, code=normalise_code(code) or "")
    codes = [c for c, _name in settings.LANGUAGES]
    language = request.GET.get("lang") or certificate.holder.preferred_language
    if language not in codes:
        language = settings.LANGUAGE_CODE
    response = HttpResponse(cached_pdf(certificate, language), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{certificate.display_code}-{language}.pdf"'
    return response
