"""Faro's signing keys (Ed25519 for EdDSA, RSA for RS256), their JWKs, the issuer's did:web, JWT signing.

The key comes from the `FARO_SIGNING_KEY` setting (read from the environment, a PEM private key) or,
when that is unset, from the database (`SigningKey`, one row), generated once on first use.
The database rather than a file under MEDIA_ROOT: media may be served by a web server, and
every app server shares the database anyway.
"""

import base64
import hashlib
import json
from functools import lru_cache
from typing import Any
from urllib.parse import quote, urlparse

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _pem() -> bytes:
    configured = settings.FARO_SIGNING_KEY
    if configured:
        return configured.replace("\\n", "\n").encode()
    from faro.certificates.models import SigningKey

    stored = SigningKey.objects.exclude(pk=2).order_by("pk").first()  # row 2 holds the RSA key
    if stored is None:
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        # pk=1: two processes starting at once end up with the same key
        stored, _created = SigningKey.objects.get_or_create(pk=1, defaults={"private_pem": pem.decode()})
    return stored.private_pem.encode()


@lru_cache(maxsize=4)
def _load(pem: bytes) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except ValueError as error:
        raise ImproperlyConfigured(f"FARO_SIGNING_KEY is not a PEM private key: {error}") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise ImproperlyConfigured("FARO_SIGNING_KEY must be an Ed25519 private key")
    return key


def private_key() -> Ed25519PrivateKey:
    return _load(_pem())


def _members() -> dict[str, str]:
    raw = private_key().public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return {"crv": "Ed25519", "kty": "OKP", "x": _b64url(raw)}


def thumbprint() -> str:
    """RFC 7638 JWK thumbprint of the public key."""
    return _b64url(hashlib.sha256(json.dumps(_members(), separators=(",", ":")).encode()).digest())


def public_jwk() -> dict[str, str]:
    """The public key as an OKP JWK; `kid` is the did:web verification method that JWT headers name."""
    return {**_members(), "kid": verification_method(), "alg": "EdDSA", "use": "sig"}


def issuer_did() -> str:
    """did:web of SITE_URL's host (port percent-encoded, path segments joined by ':')."""
    parsed = urlparse(settings.SITE_URL)
    host = quote(parsed.netloc, safe="")
    path = ":".join(part for part in parsed.path.split("/") if part)
    return f"did:web:{host}" + (f":{path}" if path else "")


def verification_method() -> str:
    return f"{issuer_did()}#{thumbprint()}"


def public_key_multibase() -> str:
    """The Ed25519 public key as a Multikey value: multibase base58btc of 0xed01 + the raw key."""
    from faro.certificates.dataintegrity import ED25519_MULTICODEC, b58encode

    raw = private_key().public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return "z" + b58encode(ED25519_MULTICODEC + raw)


def multikey_verification_method() -> str:
    """The Ed25519 key as a Multikey verification method (what Data Integrity proofs name)."""
    return f"{issuer_did()}#{public_key_multibase()}"


def _rsa_pem() -> bytes:
    """The RSA key for RS256 (OB 3.0 conformance): `FARO_RSA_SIGNING_KEY`, else `SigningKey` row 2."""
    configured = settings.FARO_RSA_SIGNING_KEY
    if configured:
        return configured.replace("\\n", "\n").encode()
    from faro.certificates.models import SigningKey

    stored = SigningKey.objects.filter(pk=2).first()
    if stored is None:
        pem = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        stored, _created = SigningKey.objects.get_or_create(pk=2, defaults={"private_pem": pem.decode()})
    return stored.private_pem.encode()


@lru_cache(maxsize=4)
def _load_rsa(pem: bytes) -> rsa.RSAPrivateKey:
    key = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ImproperlyConfigured("FARO_RSA_SIGNING_KEY must be an RSA private key")
    return key


def rsa_public_key() -> rsa.RSAPublicKey:
    return _load_rsa(_rsa_pem()).public_key()


def _rsa_members() -> dict[str, str]:
    numbers = _load_rsa(_rsa_pem()).public_key().public_numbers()

    def encode(value: int) -> str:
        return _b64url(value.to_bytes((value.bit_length() + 7) // 8, "big"))

    return {"e": encode(numbers.e), "kty": "RSA", "n": encode(numbers.n)}


def rsa_verification_method() -> str:
    digest = hashlib.sha256(json.dumps(_rsa_members(), separators=(",", ":")).encode()).digest()
    return f"{issuer_did()}#{_b64url(digest)}"


def public_jwks() -> list[dict[str, str]]:
    """Both public keys: Ed25519 (EdDSA) and RSA (RS256), each with its did:web `kid`."""
    rsa_jwk = {**_rsa_members(), "kid": rsa_verification_method(), "alg": "RS256", "use": "sig"}
    return [public_jwk(), rsa_jwk]


def did_document() -> dict[str, Any]:
    """The issuer's keys: Ed25519 and RSA as JWKs (JWT `kid`s), Ed25519 again as a Multikey (Data Integrity)."""
    methods = [(verification_method(), _members()), (rsa_verification_method(), _rsa_members())]
    multikey = {
        "id": multikey_verification_method(),
        "type": "Multikey",
        "controller": issuer_did(),
        "publicKeyMultibase": public_key_multibase(),
    }
    ids = [method for method, _jwk in methods] + [multikey["id"]]
    return {
        "@context": [
            "https://www.w3.org/ns/did/v1",
            "https://w3id.org/security/suites/jws-2020/v1",
            "https://w3id.org/security/multikey/v1",
        ],
        "id": issuer_did(),
        "verificationMethod": [
            {"id": method, "type": "JsonWebKey2020", "controller": issuer_did(), "publicKeyJwk": jwk}
            for method, jwk in methods
        ]
        + [multikey],
        "assertionMethod": ids,
        "authentication": ids,
    }


def sign_jwt(payload: dict[str, Any], *, algorithm: str = "EdDSA") -> str:
    """A compact JWS (EdDSA over Ed25519, or RS256) whose `kid` is the did:web verification method."""
    if algorithm == "RS256":
        headers = {"kid": rsa_verification_method(), "typ": "JWT"}
        return jwt.encode(payload, _load_rsa(_rsa_pem()), algorithm="RS256", headers=headers)
    headers = {"kid": verification_method(), "typ": "JWT"}
    return jwt.encode(payload, private_key(), algorithm="EdDSA", headers=headers)
