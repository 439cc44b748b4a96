"""Open Badges 3.0: the VC-JWT verifies with an independent JOSE library and fits the OB 3.0 schema."""

import base64
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from joserfc import jwt
from joserfc.jwk import KeySet, OKPKey

from faro.certificates import services
from faro.certificates.credentials import decode_bits, is_bit_set
from faro.certificates.models import Certificate
from faro.certificates.signing import issuer_did

pytestmark = [pytest.mark.django_db, pytest.mark.filterwarnings("ignore:EdDSA is deprecated")]
SCHEMA = json.loads((Path(__file__).parent.parent / "schema" / "ob_v3p0_achievementcredential_schema.json").read_text())


def _keys(client: Any) -> KeySet:
    return KeySet.import_key_set(client.get("/.well-known/jwks.json").json())


def _credential(client: Any, certificate: Certificate) -> tuple[dict, dict]:
    response = client.get(f"/verify/{certificate.display_code}.jwt")
    assert response.status_code == 200 and response["Content-Type"] == "application/vc+jwt"
    token = jwt.decode(response.content.decode(), _keys(client), algorithms=["EdDSA"])
    return token.header, token.claims


def test_the_credential_is_signed_with_eddsa_and_verifies_with_joserfc(client: Any, certificate: Certificate) -> None:
    header, claims = _credential(client, certificate)
    assert header["alg"] == "EdDSA" and header["kid"].startswith(issuer_did() + "#")
    assert claims["iss"] == issuer_did() == claims["vc"]["issuer"]["id"]
    assert claims["jti"] == claims["vc"]["id"]


def test_a_tampered_credential_does_not_verify(client: Any, certificate: Certificate) -> None:
    token = client.get(f"/verify/{certificate.display_code}.jwt").content.decode()
    head, body, signature = token.split(".")
    forged = f"{head}.{body[:-4]}AAAA.{signature}"
    with pytest.raises(Exception):  # noqa: B017 - joserfc raises BadSignatureError or a decode error
        jwt.decode(forged, _keys(client), algorithms=["EdDSA"])


def test_the_credential_fits_the_open_badges_3_schema(client: Any, certificate: Certificate) -> None:
    _header, claims = _credential(client, certificate)
    credential = claims["vc"]
    jsonschema.validate(
        credential,
        SCHEMA,
        cls=jsonschema.Draft201909Validator,
        format_checker=jsonschema.Draft201909Validator.FORMAT_CHECKER,
    )
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["@context"][0] == "https://www.w3.org/ns/credentials/v2"
    assert credential["credentialSubject"]["achievement"]["achievementType"] == "ext:WebinarParticipation"
    assert credential["credentialSubject"]["identifier"][0]["identityHash"] == "Keisha Brown"
    assert "keisha@" not in json.dumps(credential)  # nothing else about the person


def test_the_schema_rejects_a_credential_without_its_required_fields(client: Any, certificate: Certificate) -> None:
    _header, claims = _credential(client, certificate)
    broken = {k: v for k, v in claims["vc"].items() if k != "validFrom"}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, SCHEMA, cls=jsonschema.Draft201909Validator)


def test_revocation_shows_in_the_signed_status_list(client: Any, certificate: Certificate, staff: Any) -> None:
    _header, claims = _credential(client, certificate)
    status = claims["vc"]["credentialStatus"]
    assert status["type"] == "BitstringStatusListEntry" and status["statusPurpose"] == "revocation"
    index = int(status["statusListIndex"])

    def bit() -> bool:
        listing = client.get("/certificates/status/revocation").content.decode()
        token = jwt.decode(listing, _keys(client), algorithms=["EdDSA"])
        assert token.claims["vc"]["id"] == status["statusListCredential"]
        return is_bit_set(decode_bits(token.claims["vc"]["credentialSubject"]["encodedList"]), index)

    assert not bit()
    services.revoke_certificate(certificate, acting_user=staff, reason="Misrecorded attendance")
    assert bit()


def test_the_did_document_publishes_the_same_key(client: Any, certificate: Certificate) -> None:
    document = client.get("/.well-known/did.json").json()
    assert document["id"] == issuer_did()
    method = document["verificationMethod"][0]
    key = OKPKey.import_key(method["publicKeyJwk"])
    token = client.get(f"/verify/{certificate.display_code}.jwt").content.decode()
    decoded = jwt.decode(token, key, algorithms=["EdDSA"])
    assert decoded.header["kid"] == method["id"] and method["id"] in document["assertionMethod"]


def test_the_signing_key_is_generated_once_and_kept_out_of_media(settings: Any, client: Any) -> None:
    from faro.certificates.models import SigningKey

    first = client.get("/.well-known/jwks.json").json()
    assert client.get("/.well-known/jwks.json").json() == first
    assert SigningKey.objects.count() == 1
    assert not list(Path(settings.MEDIA_ROOT).rglob("*.pem"))


def test_the_signing_key_can_come_from_the_environment(monkeypatch: Any, client: Any) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    monkeypatch.setenv("FARO_SIGNING_KEY", pem.decode())
    jwk = client.get("/.well-known/jwks.json").json()["keys"][0]
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    assert jwk["x"] == base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
