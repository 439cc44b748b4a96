"""Check a credential file as a verifier would: its signature, its dates, then its status list.

A person pastes or uploads the `.jwt` or `.jsonld` Faro gave them. The signature is checked with
Faro's own keys first, so only a status list URL that Faro itself signed is ever fetched. A status
list on this site is read without a request; one elsewhere (a credential issued while Faro
answered on another address) is fetched with a short timeout. When it cannot be fetched or does
not verify, the outcome says that revocation could not be checked — never "valid".
"""

import datetime
import json
import urllib.request
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

import jwt
from django.conf import settings
from django.urls import Resolver404, resolve

from faro.certificates import dataintegrity
from faro.certificates.credentials import CONTEXTS, decode_bits, is_bit_set, status_list_jwt
from faro.certificates.models import Certificate, normalise_code
from faro.certificates.signing import private_key, rsa_public_key, rsa_verification_method, thumbprint

FETCH_TIMEOUT = 5  # seconds
MAX_STATUS_LIST_BYTES = 1_000_000
REGISTERED_CLAIMS = {"iss", "jti", "nbf", "exp", "sub", "iat"}


class StatusListUnavailable(Exception):
    """The status list could not be fetched, or what came back is not Faro's signed list."""


@dataclass
class CredentialCheck:
    # "valid", "revoked", "status_unknown", "expired", "not_yet_valid", "invalid"
    outcome: str
    reason: str = ""
    credential: dict[str, Any] = field(default_factory=dict)
    status_list_url: str = ""
    certificate: Certificate | None = None

    @property
    def holder(self) -> str:
        subject = self.credential.get("credentialSubject", {})
        names = [i.get("identityHash") for i in subject.get("identifier", []) if i.get("identityType") == "name"]
        return str(names[0]) if names else ""

    @property
    def achievement(self) -> str:
        return str(self.credential.get("credentialSubject", {}).get("achievement", {}).get("name", ""))


def _jwt_key(token: str) -> tuple[Any, str]:
    """Faro's public key for the JWT's `kid` (matched on the key, whatever address the DID names)."""
    header = jwt.get_unverified_header(token)
    fragment = str(header.get("kid", "")).rpartition("#")[2]
    if header.get("alg") == "EdDSA" and fragment == thumbprint():
        return private_key().public_key(), "EdDSA"
    if header.get("alg") == "RS256" and fragment == rsa_verification_method().rpartition("#")[2]:
        return rsa_public_key(), "RS256"
    raise jwt.InvalidTokenError("not signed by one of Faro's keys")


def verify_jwt(token: str) -> dict[str, Any]:
    """The credential inside a Faro VC-JWT; raises jwt.InvalidTokenError (ExpiredSignatureError…)."""
    key, algorithm = _jwt_key(token)
    payload = jwt.decode(token, key, algorithms=[algorithm], options={"verify_aud": False})
    return {name: value for name, value in payload.items() if name not in REGISTERED_CLAIMS}


def _local_status_list(url: str) -> str | None:
    """The status list itself when `url` is this site's own (no request made), else None."""
    site = settings.SITE_URL.rstrip("/")
    if not url.startswith(site + "/"):
        return None
    try:
        match = resolve(urlparse(url).path)
    except Resolver404:
        raise StatusListUnavailable("no status list at this address") from None
    if match.view_name != "certificates:status_list":
        raise StatusListUnavailable("no status list at this address")
    return status_list_jwt()


def fetch_status_list(url: str) -> str:
    local = _local_status_list(url)
    if local is not None:
        return local
    if urlparse(url).scheme not in {"http", "https"}:
        raise StatusListUnavailable("not a web address")
    request = urllib.request.Request(url, headers={"Accept": "application/vc+jwt"})  # noqa: S310 - http(s) only
    try:
        with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT) as response:  # noqa: S310 - http(s) only
            body: bytes = response.read(MAX_STATUS_LIST_BYTES + 1)
    except (OSError, ValueError) as error:
        raise StatusListUnavailable(str(error)) from None
    if len(body) > MAX_STATUS_LIST_BYTES:
        raise StatusListUnavailable("the status list is too large")
    return body.decode("utf-8", "replace").strip()


def revoked_per_list(status: dict[str, Any]) -> bool:
    """Whether the status list named in `status` has the credential's bit set."""
    url = str(status.get("statusListCredential", ""))
    try:
        listed = verify_jwt(fetch_status_list(url))
        bits = decode_bits(listed["credentialSubject"]["encodedList"])
        index = int(status["statusListIndex"])
        return is_bit_set(bits, index)
    except StatusListUnavailable:
        raise
    except (jwt.InvalidTokenError, KeyError, TypeError, ValueError, OSError, IndexError) as error:
        raise StatusListUnavailable(f"the status list does not verify: {error}") from None


MAX_NODES, MAX_DEPTH = 200, 12
REFUSED_KEYWORDS = {"@graph", "@included", "@reverse", "@nest", "@set", "@list"}


def screen(document: dict[str, Any]) -> None:
    """Refuse, before canonicalising it, a document Faro never writes.

    RDF canonicalisation is costly on graphs whose blank nodes point at one another (a few kilobytes
    can keep a processor busy for minutes). Faro's credentials are trees with no blank-node labels,
    so any `_:` label, graph keyword, other @context, or an outsized tree is refused outright.
    """
    if document.get("@context") != CONTEXTS:
        raise ValueError("not the JSON-LD contexts Faro writes")
    count = 0

    def walk(value: Any, depth: int) -> None:
        nonlocal count
        count += 1
        if count > MAX_NODES or depth > MAX_DEPTH:
            raise ValueError("larger than any credential Faro writes")
        if isinstance(value, dict):
            if REFUSED_KEYWORDS & value.keys():
                raise ValueError("uses JSON-LD keywords Faro never writes")
            for key, item in value.items():
                if key.startswith("_:"):
                    raise ValueError("names blank nodes")
                walk(item, depth + 1)
        elif isinstance(value, list):
            for item in value:
                walk(item, depth + 1)
        elif isinstance(value, str) and value.startswith("_:"):
            raise ValueError("names blank nodes")

    walk(document, 0)


def _parse(text: str) -> dict[str, Any]:
    text = text.strip()
    if text.startswith("{"):
        document = json.loads(text)
        if not isinstance(document, dict):
            raise ValueError("not a JSON object")
        screen(document)
        dataintegrity.verify(document)
        return {name: value for name, value in document.items() if name != "proof"}
    return verify_jwt(text)


def _parse_time(value: Any) -> datetime.datetime | None:
    try:
        return datetime.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None


def check_credential(text: str) -> CredentialCheck:
    """Verify a pasted or uploaded credential: signature, validity dates, revocation status."""
    try:
        credential = _parse(text)
    except jwt.ExpiredSignatureError:
        return CredentialCheck("expired")
    except jwt.ImmatureSignatureError:
        return CredentialCheck("not_yet_valid")
    except (jwt.InvalidTokenError, dataintegrity.ProofError, ValueError) as error:
        return CredentialCheck("invalid", reason=str(error))
    code = normalise_code(str(credential.get("id", "")).rpartition("/")[2])
    check = CredentialCheck("valid", credential=credential)
    check.certificate = Certificate.objects.filter(code=code).first() if code else None
    now = datetime.datetime.now(datetime.UTC)
    start = _parse_time(credential.get("validFrom"))
    if start and start > now:
        check.outcome = "not_yet_valid"
        return check
    until = _parse_time(credential.get("validUntil"))
    if until and until < now:
        check.outcome = "expired"
        return check
    status = credential.get("credentialStatus")
    if not isinstance(status, dict):
        return check
    check.status_list_url = str(status.get("statusListCredential", ""))
    try:
        if revoked_per_list(status):
            check.outcome = "revoked"
    except StatusListUnavailable as error:
        check.outcome, check.reason = "status_unknown", str(error)
    return check
