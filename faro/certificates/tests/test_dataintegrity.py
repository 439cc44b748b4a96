"""The JSON-LD credential with its eddsa-rdfc-2022 Data Integrity proof (W3C vc-di-eddsa).

Checked three ways: Faro's own `verify`; an independent path in this file (pyld canonicalisation
with openbadgeslib's pinned contexts, SHA-256, the key taken from the DID document over HTTP,
`cryptography`'s Ed25519 verify); and openbadgeslib's own Data Integrity verifier.
"""

import copy
import hashlib
import json
from typing import Any

import jsonschema
import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.test import Client
from openbadgeslib.ob3.contexts import document_loader
from openbadgeslib.ob3.ldp import verify_data_integrity_proof
from pyld import jsonld

from faro.accounts.models import User
from faro.certificates import dataintegrity
from faro.certificates.credentials import CONTEXTS
from faro.certificates.models import Certificate
from faro.certificates.signing import issuer_did
from faro.certificates.tests.test_credentials import SCHEMA

pytestmark = pytest.mark.django_db
ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def _b58decode(text: str) -> bytes:  # written apart from Faro's, so a shared bug cannot hide
    value: int = sum(ALPHABET.index(char) * 58**power for power, char in enumerate(reversed(text)))
    leading = len(text) - len(text.lstrip("1"))
    return bytes(leading) + value.to_bytes((value.bit_length() + 7) // 8, "big")


def _jsonld(client: Client, certificate: Certificate) -> dict[str, Any]:
    response = client.get(f"/verify/{certificate.display_code}.jsonld")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vc+ld+json"
    document: dict[str, Any] = json.loads(response.content)
    return document


def _public_key(client: Client, method_id: str) -> Ed25519PublicKey:
    document = client.get("/.well-known/did.json").json()
    method = next(method for method in document["verificationMethod"] if method["id"] == method_id)
    assert method["type"] == "Multikey"
    assert method_id in document["assertionMethod"]
    raw = _b58decode(method["publicKeyMultibase"][1:])
    assert raw[:2] == b"\xed\x01"  # the Ed25519 multicodec prefix
    return Ed25519PublicKey.from_public_bytes(raw[2:])


def _independent_check(client: Client, document: dict[str, Any]) -> None:
    proof = dict(document["proof"])
    signature = _b58decode(proof.pop("proofValue")[1:])
    unsecured = {key: value for key, value in document.items() if key != "proof"}
    options = {"algorithm": "URDNA2015", "format": "application/n-quads", "documentLoader": document_loader()}
    proof_hash = hashlib.sha256(jsonld.normalize({**proof, "@context": document["@context"]}, options).encode())
    document_hash = hashlib.sha256(jsonld.normalize(unsecured, options).encode())
    key = _public_key(client, proof["verificationMethod"])
    key.verify(signature, proof_hash.digest() + document_hash.digest())


def test_the_proof_is_eddsa_rdfc_2022_by_a_key_in_the_issuers_did_document(
    client: Client, certificate: Certificate
) -> None:
    proof = _jsonld(client, certificate)["proof"]
    assert proof["type"] == "DataIntegrityProof"
    assert proof["cryptosuite"] == "eddsa-rdfc-2022"
    assert proof["proofPurpose"] == "assertionMethod"
    assert proof["verificationMethod"].startswith(issuer_did() + "#z6Mk")
    assert proof["proofValue"].startswith("z")
    assert len(_b58decode(proof["proofValue"][1:])) == 64


def test_the_proof_verifies_by_an_independent_path(client: Client, certificate: Certificate) -> None:
    _independent_check(client, _jsonld(client, certificate))


def test_the_proof_verifies_with_openbadgeslib(client: Client, certificate: Certificate) -> None:
    document = _jsonld(client, certificate)
    key = _public_key(client, document["proof"]["verificationMethod"])
    pem = key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    verify_data_integrity_proof(document, pem)  # raises OB3VerificationError when it fails


def test_the_proof_verifies_with_faros_own_check(client: Client, certificate: Certificate) -> None:
    dataintegrity.verify(_jsonld(client, certificate))


@pytest.mark.parametrize(
    "tamper",
    [
        lambda doc: doc["credentialSubject"]["identifier"][-1].update(identityHash="Somebody Else"),
        lambda doc: doc.update(validFrom="2019-01-01T00:00:00Z"),
        lambda doc: doc["credentialSubject"]["achievement"].update(name="Another course"),
        lambda doc: doc["proof"].update(created="2030-01-01T00:00:00Z"),
        lambda doc: doc["proof"].update(proofPurpose="authentication"),
    ],
    ids=["holder", "date", "achievement", "proof-created", "proof-purpose"],
)
def test_tampering_breaks_the_proof(client: Client, certificate: Certificate, tamper: Any) -> None:
    document = _jsonld(client, certificate)
    forged = copy.deepcopy(document)
    tamper(forged)
    with pytest.raises(InvalidSignature):
        _independent_check(client, forged)
    with pytest.raises(dataintegrity.ProofError):
        dataintegrity.verify(forged)


def test_the_json_ld_credential_is_the_same_credential_as_the_jwt(client: Client, certificate: Certificate) -> None:
    document = _jsonld(client, certificate)
    unsecured = {key: value for key, value in document.items() if key != "proof"}
    jsonschema.validate(unsecured, SCHEMA, cls=jsonschema.Draft201909Validator)
    assert document["id"].endswith(f"/verify/{certificate.display_code}")
    assert document["type"] == ["VerifiableCredential", "OpenBadgeCredential"]


def test_the_proof_is_the_same_on_every_download(client: Client, certificate: Certificate) -> None:
    assert _jsonld(client, certificate) == _jsonld(client, certificate)


def test_an_unknown_context_is_refused_without_fetching_it(certificate: Certificate) -> None:
    document = dataintegrity.credential_jsonld(certificate)
    document["@context"] = [*document["@context"], "https://example.org/not-pinned.jsonld"]
    with pytest.raises(dataintegrity.ProofError, match="not available offline"):
        dataintegrity.verify(document)


def test_content_negotiation_and_the_links(client: Client, certificate: Certificate) -> None:
    negotiated = client.get(f"/verify/{certificate.display_code}", HTTP_ACCEPT="application/ld+json")
    assert negotiated["Content-Type"] == "application/vc+ld+json"
    assert json.loads(negotiated.content)["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    page = client.get(f"/verify/{certificate.display_code}")
    assert f'href="/verify/{certificate.display_code}.jsonld"' in page.content.decode()
    assert "Accept" in page["Vary"]


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        ("application/vc+ld+json", "application/vc+ld+json"),
        ("application/vc", "application/vc+ld+json"),
        ("application/json, application/ld+json;q=0.9", "application/vc+ld+json"),
        ("application/vc+jwt", "text/plain; charset=utf-8"),
        ("text/html,application/xhtml+xml,*/*;q=0.8", "text/html; charset=utf-8"),
    ],
)
def test_each_accept_header_gets_the_form_it_asks_for(
    client: Client, certificate: Certificate, accept: str, media_type: str
) -> None:
    """Open Badges 3.0's web-resource media types: a VC-JWT as text/plain, an embedded proof as vc+ld+json."""
    response = client.get(f"/verify/{certificate.display_code}", HTTP_ACCEPT=accept)
    assert response.status_code == 200
    assert response["Content-Type"] == media_type
    assert client.get("/verify/NOPE-NOPE.jsonld").status_code == 404


def test_the_api_and_the_staff_page_link_the_json_ld_credential(
    client: Client, certificate: Certificate, staff: User
) -> None:
    body = client.get(f"/api/v1/certificates/verify/{certificate.display_code}/").json()
    assert body["credential_jsonld_url"].endswith(f"/verify/{certificate.display_code}.jsonld")
    client.force_login(staff)
    page = client.get(f"/certificates/manage/certificate/{certificate.display_code}/").content.decode()
    assert f"/verify/{certificate.display_code}.jsonld" in page


@pytest.mark.parametrize(
    ("url", "sha256"),
    [
        ("https://www.w3.org/ns/credentials/v2", "59955ced6697d61e03f2b2556febe5308ab16842846f5b586d7f1f7adec92734"),
        (
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
            "3d34f4d4ef1bce691106e63798beb5e7b862ba841423f5ee1e53ab7ddf3bca84",
        ),
        (
            "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json",
            "87c06c81bc2317663bf288d740d94fddd2818c4342b186270ff6371dfaa63f93",
        ),
    ],
)
def test_the_pinned_contexts_are_the_published_files(url: str, sha256: str) -> None:
    """openbadgeslib ships the published context files with their SHA-256; an upgrade that changed
    one would change what every proof covers, so the files Faro canonicalises with are pinned here."""
    from importlib import resources

    from openbadgeslib.ob3 import contexts

    names = {
        "https://www.w3.org/ns/credentials/v2": "credentials-v2.json",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json": "ob-v3p0-context-3.0.3.json",
        "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json": "ob-v3p0-extensions.json",
    }
    data = resources.files(contexts).joinpath(names[url]).read_bytes()
    assert hashlib.sha256(data).hexdigest() == sha256
    assert url in CONTEXTS  # the contexts every credential names


def test_openbadgeslibs_full_ob3_verifier_accepts_it(client: Client, certificate: Certificate) -> None:
    """Its OB 3.0 checks too: the JSON is exactly the compacted form of what the proof signs, no term
    dropped by the contexts, the credential's types and dates as OB 3.0 has them."""
    from openbadgeslib.ob3.ldp import OB3LdpVerifier

    document = _jsonld(client, certificate)
    key = _public_key(client, document["proof"]["verificationMethod"])
    pem = key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    badge = OB3LdpVerifier(pubkey_pem=pem).verify(document, check_status=False)
    assert badge is not None


@pytest.mark.parametrize("algorithm", ["EdDSA", "RS256"])
def test_openbadgeslibs_jwt_verifier_accepts_the_vc_jwt(
    client: Client, certificate: Certificate, algorithm: str
) -> None:
    """The JWT form through the same independent library (OB 3.0 § 8.2 checks included)."""
    from openbadgeslib.ob3.verifier import OB3Verifier

    from faro.certificates.signing import private_key, rsa_public_key

    token = client.get(f"/verify/{certificate.display_code}.jwt?alg={algorithm}").content.decode()
    key = private_key().public_key() if algorithm == "EdDSA" else rsa_public_key()
    pem = key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    assert OB3Verifier(pem).verify(token, check_status=False) is not None


def test_a_cached_verification_page_is_never_served_to_a_client_asking_for_the_credential(
    client: Client, certificate: Certificate, settings: Any
) -> None:
    settings.PAGE_CACHE_SECONDS = 30
    url = f"/verify/{certificate.display_code}"
    for _ in range(2):  # the second visit comes from the page cache
        assert Client().get(url, HTTP_ACCEPT="text/html")["Content-Type"].startswith("text/html")
    negotiated = Client().get(url, HTTP_ACCEPT="application/ld+json")
    assert negotiated["Content-Type"] == "application/vc+ld+json"
    assert json.loads(negotiated.content)["proof"]["type"] == "DataIntegrityProof"
