"""Certificate endpoints: public verification by code (what the verification page says) and
the caller's own certificates.

Verification shares the web page's per-address limit, so the API is no faster way to guess codes.
"""

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound, Throttled, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from faro.api.permissions import PUBLIC, SIGNED_IN
from faro.api.serializers import TranslatedTextField, absolute_url, query_params
from faro.certificates.forms import VerifyForm
from faro.certificates.models import Certificate, Kind, normalise_code
from faro.certificates.views import VERIFY_LIMIT
from faro.core.ratelimit import client_ip, hit

# What `normalise_code` accepts: twelve characters of the code alphabet, any case, dashes, spaces or tabs between.
CODE_PATTERN = r"^[- \t]*(?:[2-9A-HJKMNP-Za-hjkmnp-z][- \t]*){12}$"


class VerificationSerializer(serializers.Serializer[Certificate]):
    """What anyone may know about a certificate."""

    code = serializers.CharField(source="display_code")
    state = serializers.ChoiceField(choices=["valid", "expired", "revoked", "replaced"])
    kind = serializers.ChoiceField(choices=Kind.choices)
    holder_name = serializers.CharField()
    achievement = TranslatedTextField()
    issuer = serializers.CharField(source="issuer_name")
    achieved_on = serializers.DateField()
    issued_at = serializers.DateTimeField()
    expires_on = serializers.DateField(allow_null=True)
    revoked_at = serializers.DateTimeField(allow_null=True)
    revocation_reason = serializers.SerializerMethodField()
    replaced_by = serializers.SerializerMethodField()
    credential_url = serializers.SerializerMethodField()
    credential_jsonld_url = serializers.SerializerMethodField()

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_revocation_reason(self, certificate: Certificate) -> str | None:
        return certificate.revocation_reason if certificate.status == Certificate.Status.REVOKED else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_replaced_by(self, certificate: Certificate) -> str | None:
        return certificate.replaced_by.display_code if certificate.replaced_by else None

    def get_credential_url(self, certificate: Certificate) -> str:
        """The Open Badges 3.0 credential (VC-JWT)."""
        path = reverse("certificates:certificate_jwt", kwargs={"code": certificate.display_code})
        return absolute_url(self.context.get("request"), path)

    def get_credential_jsonld_url(self, certificate: Certificate) -> str:
        """The same credential as JSON-LD with a Data Integrity proof (eddsa-rdfc-2022)."""
        path = reverse("certificates:certificate_jsonld", kwargs={"code": certificate.display_code})
        return absolute_url(self.context.get("request"), path)


class CertificateSerializer(VerificationSerializer):
    """One of the caller's own certificates, with its PDF."""

    pdf_url = serializers.SerializerMethodField()

    def get_pdf_url(self, certificate: Certificate) -> str:
        path = reverse("certificates:certificate_pdf", kwargs={"code": certificate.display_code})
        return absolute_url(self.context.get("request"), path)


@extend_schema(
    parameters=[
        OpenApiParameter(
            "code",
            str,
            OpenApiParameter.PATH,
            description="e.g. ABCD-EFGH-JKMN, any case",
            pattern=CODE_PATTERN,
        )
    ],
    responses={200: VerificationSerializer},
)
class VerifyCertificate(generics.GenericAPIView[Any]):  # answers computed figures, not one model's rows
    """Verify a certificate by its code: 400 when the code is malformed, 404 when unknown."""

    serializer_class = VerificationSerializer
    permission_classes = PUBLIC

    def get(self, request: Request, code: str) -> Response:
        if not hit(f"certificates:verify:{client_ip(request)}", limit=VERIFY_LIMIT, window=60):
            raise Throttled(wait=60)
        normal = normalise_code(code)
        if normal is None:
            raise ValidationError({"code": [str(VerifyForm.base_fields["code"].help_text)]})
        certificate = Certificate.objects.select_related("replaced_by").filter(code=normal).first()
        if certificate is None:
            raise NotFound(_("No certificate has this code."))
        return Response(self.get_serializer(certificate).data)


class CertificateFilter(serializers.Serializer[dict[str, Any]]):
    kind = serializers.ChoiceField(choices=Kind.choices, required=False)


@extend_schema(parameters=[CertificateFilter])
class CertificateList(generics.ListAPIView[Certificate]):
    """The caller's own certificates, latest first (staff: every certificate)."""

    serializer_class = CertificateSerializer
    permission_classes = SIGNED_IN

    def get_queryset(self) -> QuerySet[Certificate]:
        params: dict[str, Any] = query_params(self.request, CertificateFilter)
        certificates = Certificate.objects.for_user(self.request.user).select_related("replaced_by")
        if "kind" in params:
            certificates = certificates.filter(kind=params["kind"])
        return certificates.order_by("-issued_at", "-pk")
