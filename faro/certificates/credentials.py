"""Open Badges 3.0: each certificate as an OpenBadgeCredential, and the revocation status list.

Both are W3C Verifiable Credentials (data model 2.0) secured as JWTs signed by `signing.sign_jwt`;
the certificate's JWT payload is the credential itself (OB 3.0 § 8.2). Revocation uses a
Bitstring Status List whose index is the certificate's primary key.
"""

import base64
import datetime
import gzip
import hashlib
import hmac
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from faro.certificates.models import Certificate, Kind
from faro.certificates.signing import issuer_did, sign_jwt

CONTEXTS = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    # defines 1EdTechJsonSchemaValidator2019, the credentialSchema type (OB 3.0 writes it so)
    "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json",
]
SCHEMA_ID = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
# OB 3.0's achievementType vocabulary; "ext:" marks values it does not define.
ACHIEVEMENT_TYPES = {
    Kind.COURSE: "CertificateOfCompletion",
    Kind.WEBINAR: "ext:WebinarParticipation",
    Kind.MEETING: "ext:MeetingAttendance",
}
STATUS_LIST_BITS = 131_072  # the spec's minimum size (16 KiB), for herd privacy


def _url(name: str, **kwargs: Any) -> str:
    return settings.SITE_URL + reverse(name, kwargs=kwargs or None)


def _timestamp(value: Any) -> str:
    stamp: str = value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return stamp


def issuer_profile() -> dict[str, Any]:
    return {
        "id": issuer_did(),
        "type": ["Profile"],
        "name": "Inter-American Committee on Ports (CIP) · OAS",
        "url": settings.SITE_URL + "/",
    }


def status_list_url() -> str:
    return _url("certificates:status_list")


def achievement_ref(certificate: Certificate) -> str:
    return f"{certificate.source_type_id}-{certificate.source_id}"


def certificate_for_achievement(kind: str, ref: str) -> Certificate | None:
    """A certificate of the achievement named in a URL (`<content type>-<source id>`), or None."""
    type_id, _sep, source_id = ref.partition("-")
    if kind not in Kind.values or not (type_id.isdigit() and source_id.isdigit()):
        return None
    found = Certificate.objects.filter(kind=kind, source_type_id=int(type_id), source_id=int(source_id))
    return found.order_by("pk").first()


def achievement_of(certificate: Certificate, language: str) -> dict[str, Any]:
    name = certificate.achievement.in_language(language)
    kind_label = Kind(certificate.kind).label
    return {
        "id": _url("certificates:achievement", kind=certificate.kind, ref=achievement_ref(certificate)),
        "type": ["Achievement"],
        "achievementType": ACHIEVEMENT_TYPES[Kind(certificate.kind)],
        "name": name,
        "description": f"{kind_label}: {name}",
        "criteria": {"narrative": str(kind_label)},
        "inLanguage": language,
    }


def credential_of(certificate: Certificate) -> dict[str, Any]:
    """The unsigned OpenBadgeCredential of `certificate`, in its holder's language."""
    language = certificate.holder.preferred_language or settings.LANGUAGE_CODE
    credential: dict[str, Any] = {
        "@context": CONTEXTS,
        "id": _url("certificates:certificate_verify", code=certificate.display_code),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": certificate.achievement.in_language(language),
        "issuer": issuer_profile(),
        "validFrom": _timestamp(certificate.issued_at),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                identifier
                for identifier in (
                    email_identifier(certificate),
                    {
                        "type": "IdentityObject",
                        "identityType": "name",
                        "hashed": False,
                        "identityHash": certificate.holder_name,
                    },
                )
                if identifier
            ],
            "activityEndDate": f"{certificate.achieved_on.isoformat()}T00:00:00Z",
            "achievement": achievement_of(certificate, language),
        },
        "credentialStatus": {
            "id": f"{status_list_url()}#{certificate.pk}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(certificate.pk),
            "statusListCredential": status_list_url(),
        },
        "credentialSchema": [{"id": SCHEMA_ID, "type": "1EdTechJsonSchemaValidator2019"}],
    }
    if certificate.expires_on:
        credential["validUntil"] = f"{certificate.expires_on.isoformat()}T23:59:59Z"
    return credential


def credential_jwt(certificate: Certificate, *, algorithm: str = "EdDSA") -> str:
    """The credential secured as OB 3.0 § 8.2 asks: the JWT payload is the OpenBadgeCredential itself
    (no `vc` wrapper, which is VC 1.1's encoding) plus the registered claims mapped from it."""
    credential = credential_of(certificate)
    payload: dict[str, Any] = {
        **credential,
        "iss": credential["issuer"]["id"],
        "jti": credential["id"],
        "nbf": int(certificate.issued_at.timestamp()),
    }
    if "id" in credential["credentialSubject"]:
        payload["sub"] = credential["credentialSubject"]["id"]
    if certificate.expires_on:
        end = datetime.datetime.combine(certificate.expires_on, datetime.time(23, 59, 59), tzinfo=datetime.UTC)
        payload["exp"] = int(end.timestamp())
    return sign_jwt(payload, algorithm=algorithm)


def email_identifier(certificate: Certificate) -> dict[str, Any] | None:
    """The holder's email as OB 3.0 allows it: salted and hashed (`sha256$…`), the salt beside it.

    The salt is derived from the certificate and the site's secret, so the credential is the same
    every time it is downloaded, and nobody can test guesses without the salt the holder shares.
    """
    email = (certificate.holder.email or "").strip().lower()
    if not email:
        return None
    salt = hmac.new(settings.SECRET_KEY.encode(), certificate.display_code.encode(), hashlib.sha256).hexdigest()[:16]
    digest = hashlib.sha256((email + salt).encode()).hexdigest()
    return {
        "type": "IdentityObject",
        "identityType": "emailAddress",
        "hashed": True,
        "identityHash": f"sha256${digest}",
        "salt": salt,
    }


def encode_bits(indexes: list[int]) -> str:
    """Bitstring Status List `encodedList`: multibase 'u' + base64url(gzip(bits)), bit 0 leftmost."""
    size = max(STATUS_LIST_BITS, ((max(indexes, default=0) // 8) + 1) * 8)
    bits = bytearray(size // 8)
    for index in indexes:
        bits[index // 8] |= 0x80 >> (index % 8)
    compressed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).rstrip(b"=").decode()


def decode_bits(encoded: str) -> bytes:
    data = encoded[1:] + "=" * (-len(encoded[1:]) % 4)
    return gzip.decompress(base64.urlsafe_b64decode(data))


def is_bit_set(bits: bytes, index: int) -> bool:
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def status_list_credential() -> dict[str, Any]:
    """The revocation list: one bit per certificate (its pk), set when revoked."""
    revoked = list(Certificate.objects.filter(status=Certificate.Status.REVOKED).values_list("pk", flat=True))
    url = status_list_url()
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_did(),
        "validFrom": _timestamp(timezone.now()),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encode_bits(revoked),
        },
    }


def status_list_jwt() -> str:
    credential = status_list_credential()
    now = int(timezone.now().timestamp())
    return sign_jwt({**credential, "iss": credential["issuer"], "jti": credential["id"], "nbf": now})
