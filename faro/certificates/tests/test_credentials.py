"""Open Badges 3.0: the VC-JWT verifies with an independent JOSE library and fits the OB 3.0 schema."""

import base64
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from django.conf import settings
from django.test import Client
from joserfc import jwt
from joserfc.jwk import KeySet, OKPKey
from pytest_django.fixtures import Settings

from faro.accounts.models import User
from faro.certificates import services
from faro.certificates.credentials import decode_bits, is_bit_set
from faro.certificates.models import Certificate
from faro.certificates.signing import issuer_did

pytestmark = [pytest.mark.django_db, pytest.mark.filterwarnings("ignore:EdDSA is deprecated")]
SCHEMA = json.loads((Path(__file__).parent.parent / "schema" / "faro-ob3-subset.schema.json").read_text())


def _keys(client: Client) -> KeySet:
    return KeySet.import_key_set(client.get("/.well-known/jwks.json").json())


def _credential(client: Client, certificate: Certificate) -> tuple[dict[str, Any], dict[str, Any]]:
    response = client.get(f"/verify/{certificate.display_code}.jwt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    token = jwt.decode(response.content.decode(), _keys(client), algorithms=["EdDSA"])
    return token.header, token.claims


def test_the_credential_is_signed_with_eddsa_and_verifies_with_joserfc(
    client: Client, certificate: Certificate
) -> None:
    header, claims = _credential(client, certificate)
    assert header["alg"] == "EdDSA"
    assert header["kid"].startswith(issuer_did() + "#")
    assert claims["iss"] == issuer_did() == claims["issuer"]["id"]
    assert claims["jti"] == claims["id"]


def test_a_tampered_credential_does_not_verify(client: Client, certificate: Certificate) -> None:
    token = client.get(f"/verify/{certificate.display_code}.jwt").content.decode()
    head, body, signature = token.split(".")
    forged = f"{head}.{body[:-4]}AAAA.{signature}"
    with pytest.raises(Exception):  # noqa: B017 - joserfc raises BadSignatureError or a decode error
        jwt.decode(forged, _keys(client), algorithms=["EdDSA"])


def test_the_credential_fits_the_open_badges_3_schema(client: Client, certificate: Certificate) -> None:
    _header, claims = _credential(client, certificate)
    credential = {k: v for k, v in claims.items() if k not in {"iss", "jti", "nbf", "exp", "sub"}}
    jsonschema.validate(
        credential,
        SCHEMA,
        cls=jsonschema.Draft201909Validator,
        format_checker=jsonschema.Draft201909Validator.FORMAT_CHECKER,
    )
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["@context"][0] == "https://www.w3.org/ns/credentials/v2"
    assert credential["credentialSubject"]["achievement"]["achievementType"] == "ext:WebinarParticipation"
    assert credential["credentialSubject"]["identifier"][-1]["identityHash"] == "Keisha Brown"
    assert "keisha@" not in json.dumps(credential)  # nothing else about the person


def test_the_schema_rejects_a_credential_without_its_required_fields(client: Client, certificate: Certificate) -> None:
    _header, claims = _credential(client, certificate)
    broken = {k: v for k, v in claims.items() if k != "validFrom"}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, SCHEMA, cls=jsonschema.Draft201909Validator)


def test_revocation_shows_in_the_signed_status_list(client: Client, certificate: Certificate, staff: User) -> None:
    _header, claims = _credential(client, certificate)
    status = claims["credentialStatus"]
    assert status["type"] == "BitstringStatusListEntry"
    assert status["statusPurpose"] == "revocation"
    index = int(status["statusListIndex"])

    def bit() -> bool:
        listing = client.get("/certificates/status/revocation").content.decode()
        token = jwt.decode(listing, _keys(client), algorithms=["EdDSA"])
        assert token.claims["id"] == status["statusListCredential"]
        return is_bit_set(decode_bits(token.claims["credentialSubject"]["encodedList"]), index)

    assert not bit()
    services.revoke_certificate(certificate, acting_user=staff, reason="Misrecorded attendance")
    assert bit()


def test_the_did_document_publishes_the_same_key(client: Client, certificate: Certificate) -> None:
    document = client.get("/.well-known/did.json").json()
    assert document["id"] == issuer_did()
    method = document["verificationMethod"][0]
    key = OKPKey.import_key(method["publicKeyJwk"])
    token = client.get(f"/verify/{certificate.display_code}.jwt").content.decode()
    decoded = jwt.decode(token, key, algorithms=["EdDSA"])
    assert decoded.header["kid"] == method["id"]
    assert method["id"] in document["assertionMethod"]


def test_the_signing_key_is_generated_once_and_kept_out_of_media(settings: Settings, client: Client) -> None:
    from faro.certificates.models import SigningKey

    first = client.get("/.well-known/jwks.json").json()
    assert client.get("/.well-known/jwks.json").json() == first
    assert SigningKey.objects.count() == 2  # Ed25519 and RSA
    assert not list(Path(settings.MEDIA_ROOT).rglob("*.pem"))


def test_the_signing_key_can_come_from_the_environment(settings: Settings, client: Client) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    settings.FARO_SIGNING_KEY = pem.decode()  # settings.py reads it from the environment
    jwk = client.get("/.well-known/jwks.json").json()["keys"][0]
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    assert jwk["x"] == base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def test_the_jwt_payload_is_the_credential_itself_with_registered_claims(
    client: Client, certificate: Certificate
) -> None:
    _header, claims = _credential(client, certificate)
    assert "vc" not in claims
    assert claims["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert claims["nbf"] == int(certificate.issued_at.timestamp())
    assert "sub" not in claims  # the subject has no id; it is identified by `identifier`
    assert "iat" not in claims


def test_the_subject_is_identified_by_a_salted_hashed_email(client: Client, certificate: Certificate) -> None:
    import hashlib

    _header, claims = _credential(client, certificate)
    email = next(i for i in claims["credentialSubject"]["identifier"] if i["identityType"] == "emailAddress")
    assert email["hashed"] is True
    assert certificate.holder.email is not None
    expected = hashlib.sha256((certificate.holder.email.lower() + email["salt"]).encode()).hexdigest()
    assert email["identityHash"] == f"sha256${expected}"
    assert certificate.holder.email not in json.dumps(claims)


def test_the_kid_resolves_in_the_did_document(client: Client, certificate: Certificate) -> None:
    header, _claims = _credential(client, certificate)
    document = client.get("/.well-known/did.json").json()
    assert header["kid"] in [method["id"] for method in document["verificationMethod"]]
    assert header["kid"] in document["assertionMethod"]


def test_the_achievement_id_resolves_to_a_page_and_to_json(client: Client, certificate: Certificate) -> None:
    _header, claims = _credential(client, certificate)
    achievement = claims["credentialSubject"]["achievement"]
    path = achievement["id"].removeprefix(settings.SITE_URL)
    page = client.get(path)
    assert page.status_code == 200
    assert achievement["name"] in page.text
    data = client.get(path, HTTP_ACCEPT="application/json").json()
    assert data["id"] == achievement["id"]
    assert data["type"] == ["Achievement"]
    assert client.get("/certificates/achievements/course/999-999").status_code == 404
    assert client.get("/certificates/achievements/nonsense/x").status_code == 404


def test_rs256_as_well_verifies_with_joserfc_and_its_kid_resolves(client: Client, certificate: Certificate) -> None:
    from joserfc.jwk import RSAKey

    token = client.get(f"/verify/{certificate.display_code}.jwt?alg=RS256").content.decode()
    document = client.get("/.well-known/did.json").json()
    methods = {m["id"]: m["publicKeyJwk"] for m in document["verificationMethod"] if "publicKeyJwk" in m}
    header = json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "=="))
    assert header["alg"] == "RS256"
    decoded = jwt.decode(token, RSAKey.import_key(methods[header["kid"]]), algorithms=["RS256"])
    assert decoded.claims["jti"] == decoded.claims["id"]
    assert header["kid"] in document["assertionMethod"]
