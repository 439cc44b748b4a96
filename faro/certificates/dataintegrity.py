"""The credential as JSON-LD with an embedded Data Integrity proof, cryptosuite `eddsa-rdfc-2022`.

W3C vc-di-eddsa: the unsecured document and the proof options are each canonicalised with
RDF Dataset Canonicalization (RDFC-1.0, which pyld implements under its earlier name URDNA2015),
hashed with SHA-256, concatenated (proof options first) and signed with Ed25519; `proofValue`
is the signature in multibase base58btc ('z…'). The verification method is the issuer's
Ed25519 key published as a Multikey in its DID document.

Canonicalisation needs the JSON-LD contexts the credential names. They are never fetched:
the document loader serves only the published context files that the `openbadgeslib` package
ships, pinned with it (W3C VC 2.0 and 1EdTech OB 3.0 contexts), and refuses any other URL.
"""

import copy
import hashlib
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from faro.certificates.credentials import credential_of
from faro.certificates.models import Certificate
from faro.certificates.signing import multikey_verification_method, private_key, public_key_multibase

CRYPTOSUITE = "eddsa-rdfc-2022"
B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
ED25519_MULTICODEC = b"\xed\x01"


class ProofError(ValueError):
    """The document carries no usable proof, or the proof does not verify."""


def b58encode(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    digits = ""
    while number:
        number, remainder = divmod(number, 58)
        digits = B58[remainder] + digits
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + digits


def b58decode(text: str) -> bytes:
    number = 0
    for char in text:
        index = B58.find(char)
        if index < 0:
            raise ProofError(f"not base58btc: {char!r}")
        number = number * 58 + index
    body = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return b"\0" * (len(text) - len(text.lstrip("1"))) + body


def _load_document(url: str, options: Any = None) -> dict[str, Any]:
    """pyld's document loader: the pinned published contexts only, never the network."""
    from openbadgeslib.ob3.contexts import UnknownContextError, load_context  # 4 MiB: loaded on first use

    try:
        document = load_context(url)
    except UnknownContextError:
        raise ProofError(f"JSON-LD context not available offline: {url}") from None
    return {"contextUrl": None, "documentUrl": url, "document": document}


def canonical_nquads(document: dict[str, Any]) -> str:
    """RDFC-1.0 canonical N-Quads of a JSON-LD document."""
    from pyld import jsonld  # 6 MiB: loaded on first use, not by every web worker

    options = {"algorithm": "URDNA2015", "format": "application/n-quads", "documentLoader": _load_document}
    try:
        return str(jsonld.normalize(document, options))
    except jsonld.JsonLdError as error:
        cause: BaseException | None = error
        while cause is not None:
            if isinstance(cause, ProofError):
                raise cause from None
            cause = cause.__cause__ or cause.__context__
        raise ProofError(f"cannot canonicalise the document: {error}") from None


def hash_data(unsecured: dict[str, Any], proof_options: dict[str, Any]) -> bytes:
    """SHA-256 of the canonical proof options (in the document's @context), then of the document."""
    config = {**proof_options, "@context": unsecured["@context"]}
    config.pop("proofValue", None)
    return (
        hashlib.sha256(canonical_nquads(config).encode()).digest()
        + hashlib.sha256(canonical_nquads(unsecured).encode()).digest()
    )


def secure(document: dict[str, Any], *, created: str) -> dict[str, Any]:
    """A copy of `document` with an eddsa-rdfc-2022 proof by Faro's Ed25519 key."""
    unsecured = copy.deepcopy(document)
    unsecured.pop("proof", None)
    proof: dict[str, Any] = {
        "type": "DataIntegrityProof",
        "cryptosuite": CRYPTOSUITE,
        "created": created,
        "verificationMethod": multikey_verification_method(),
        "proofPurpose": "assertionMethod",
    }
    signature = private_key().sign(hash_data(unsecured, proof))
    return {**unsecured, "proof": {**proof, "proofValue": "z" + b58encode(signature)}}


def public_key_from_multibase(value: str) -> Ed25519PublicKey:
    if not value.startswith("z"):
        raise ProofError("publicKeyMultibase is not base58btc")
    raw = b58decode(value[1:])
    if not raw.startswith(ED25519_MULTICODEC) or len(raw) != 34:
        raise ProofError("publicKeyMultibase is not an Ed25519 key")
    return Ed25519PublicKey.from_public_bytes(raw[2:])


def verify(document: dict[str, Any]) -> None:
    """Check an eddsa-rdfc-2022 proof made with Faro's key; raises ProofError when it fails."""
    proof = document.get("proof")
    if not isinstance(proof, dict) or proof.get("cryptosuite") != CRYPTOSUITE:
        raise ProofError("no eddsa-rdfc-2022 proof")
    # matched on the key itself: a credential issued while Faro answered on another address names another DID
    if str(proof.get("verificationMethod", "")).rpartition("#")[2] != public_key_multibase():
        raise ProofError("the proof names a key that is not Faro's")
    value = proof.get("proofValue")
    if not isinstance(value, str) or not value.startswith("z"):
        raise ProofError("proofValue is not multibase base58btc")
    unsecured = {key: item for key, item in document.items() if key != "proof"}
    if "@context" not in unsecured:
        raise ProofError("no @context")
    try:
        public_key_from_multibase(public_key_multibase()).verify(b58decode(value[1:]), hash_data(unsecured, proof))
    except InvalidSignature:
        raise ProofError("the signature does not match the document") from None


def credential_jsonld(certificate: Certificate) -> dict[str, Any]:
    """The OpenBadgeCredential secured with its Data Integrity proof (created = issue time)."""
    credential = credential_of(certificate)
    return secure(credential, created=credential["validFrom"])
