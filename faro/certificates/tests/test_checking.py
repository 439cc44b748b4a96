"""Checking a credential file on the verification pages: signature, dates, and the status list —
including a status list that cannot be fetched, which must read as "not known", never "valid"."""

import datetime
import http.server
import json
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from pytest_django.fixtures import Settings

from faro.accounts.models import User
from faro.certificates import checking, dataintegrity, services
from faro.certificates.credentials import CONTEXTS, credential_jwt, credential_of, status_list_jwt
from faro.certificates.models import Certificate

pytestmark = [pytest.mark.django_db, pytest.mark.filterwarnings("ignore:EdDSA is deprecated")]
URL = "/verify/credential/"
UNREACHABLE = "http://127.0.0.1:9"  # the discard port: nothing listens, the connection is refused at once


def _post(client: Client, **data: Any) -> Any:
    return client.post(URL, data)


def test_a_genuine_jwt_reads_valid(client: Client, certificate: Certificate) -> None:
    response = _post(client, credential=credential_jwt(certificate))
    assert response.status_code == 200
    assert response.context["check"].outcome == "valid"
    assert "Valid: the signature is Faro" in response.content.decode()
    assert certificate.holder_name in response.content.decode()


def test_a_genuine_json_ld_file_reads_valid(client: Client, certificate: Certificate) -> None:
    body = json.dumps(dataintegrity.credential_jsonld(certificate)).encode()
    upload = SimpleUploadedFile("c.jsonld", body, content_type="application/octet-stream")
    response = client.post(URL, {"file": upload})
    assert response.context["check"].outcome == "valid"
    assert response.context["check"].certificate == certificate


def test_an_rs256_jwt_reads_valid(client: Client, certificate: Certificate) -> None:
    assert _post(client, credential=credential_jwt(certificate, algorithm="RS256")).context["check"].outcome == "valid"


def test_a_revoked_certificate_reads_revoked_from_its_status_list(
    client: Client, certificate: Certificate, staff: User
) -> None:
    token = credential_jwt(certificate)
    services.revoke_certificate(certificate, acting_user=staff, reason="Issued in error")
    response = _post(client, credential=token)
    assert response.context["check"].outcome == "revoked"
    assert "Revoked: the certificate" in response.content.decode()


def test_a_status_list_that_cannot_be_fetched_is_said_so_not_valid(client: Client, certificate: Certificate) -> None:
    with override_settings(SITE_URL=UNREACHABLE):  # issued while Faro answered on another address
        token = credential_jwt(certificate)
    response = _post(client, credential=token)
    check = response.context["check"]
    assert check.outcome == "status_unknown"
    assert check.status_list_url == f"{UNREACHABLE}/certificates/status/revocation"
    page = response.content.decode()
    assert "Not known whether it has been revoked" in page
    assert "Valid:" not in page
    assert f"{UNREACHABLE}/certificates/status/revocation" in page


def test_a_json_ld_credential_with_an_unreachable_status_list_too(certificate: Certificate) -> None:
    with override_settings(SITE_URL=UNREACHABLE):
        document = dataintegrity.credential_jsonld(certificate)
    assert checking.check_credential(json.dumps(document)).outcome == "status_unknown"


def test_a_status_list_address_on_this_site_that_is_not_a_status_list(
    certificate: Certificate, settings: Settings
) -> None:
    credential = credential_of(certificate)
    credential["credentialStatus"]["statusListCredential"] = f"{settings.SITE_URL}/verify/"
    document = dataintegrity.secure(credential, created=credential["validFrom"])
    check = checking.check_credential(json.dumps(document))
    assert check.outcome == "status_unknown"
    assert check.reason == "no status list at this address"


class _Serve(http.server.BaseHTTPRequestHandler):
    body = b""

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/vc+jwt")
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def other_host() -> Iterator[tuple[str, type[_Serve]]]:
    handler = type("Handler", (_Serve,), {})
    server = http.server.HTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", handler
    server.shutdown()
    server.server_close()


def test_a_status_list_elsewhere_is_fetched_and_its_signature_checked(
    certificate: Certificate, other_host: tuple[str, type[_Serve]], staff: User
) -> None:
    address, handler = other_host
    with override_settings(SITE_URL=address):
        token = credential_jwt(certificate)
    services.revoke_certificate(certificate, acting_user=staff, reason="Issued in error")
    handler.body = status_list_jwt().encode()
    assert checking.check_credential(token).outcome == "revoked"
    handler.body = status_list_jwt().encode()[:-8] + b"AAAAAAAA"  # the list's signature broken
    forged = checking.check_credential(token)
    assert forged.outcome == "status_unknown"
    assert forged.reason.startswith("the status list does not verify")


@pytest.mark.parametrize("text", ["not a credential", "a.b.c", '{"@context": []}', "[1, 2]"])
def test_anything_else_reads_not_genuine(client: Client, text: str) -> None:
    response = _post(client, credential=text)
    assert response.context["check"].outcome == "invalid"
    assert "Not genuine" in response.content.decode()


def test_a_tampered_jwt_reads_not_genuine(client: Client, certificate: Certificate) -> None:
    head, body, signature = credential_jwt(certificate).split(".")
    assert _post(client, credential=f"{head}.{body[:-4]}AAAA.{signature}").context["check"].outcome == "invalid"


def test_an_expired_credential_reads_expired(certificate: Certificate) -> None:
    certificate.expires_on = datetime.date(2021, 1, 1)
    assert checking.check_credential(credential_jwt(certificate)).outcome == "expired"


def test_nothing_sent_is_a_form_error(client: Client) -> None:
    response = _post(client)
    assert response.status_code == 400
    assert "Paste a credential or choose its file." in response.content.decode()


def test_a_binary_file_is_a_form_error(client: Client) -> None:
    upload = SimpleUploadedFile("c.jwt", b"\xff\xfe\x00\x81", content_type="application/octet-stream")
    response = client.post(URL, {"file": upload})
    assert response.status_code == 400
    assert "it is not text" in response.content.decode()


def test_the_form_is_linked_from_the_verification_page(client: Client) -> None:
    assert URL in client.get("/verify/").content.decode()
    assert client.get(URL).status_code == 200


def _blank_node_clique(size: int) -> dict[str, Any]:
    """Blank nodes that all point at one another: what makes RDF canonicalisation explode."""
    nodes = [{"id": f"_:b{i}", "knows": [f"_:b{j}" for j in range(size) if j != i]} for i in range(size)]
    return {"@context": "https://www.w3.org/ns/credentials/v2", "@graph": nodes}


@pytest.mark.parametrize(
    "document",
    [
        _blank_node_clique(12),
        {"@context": CONTEXTS, "issuer": "_:b0", "proof": {}},
        {"@context": CONTEXTS, "a": [[[[[[[[[[[[[["deep"]]]]]]]]]]]]]]},
        {"@context": CONTEXTS, "many": [{"n": i} for i in range(300)]},
    ],
    ids=["clique", "blank-label", "deep", "wide"],
)
def test_a_document_faro_never_writes_is_refused_before_canonicalising(document: dict[str, Any]) -> None:
    import time

    started = time.perf_counter()
    check = checking.check_credential(json.dumps(document))
    assert check.outcome == "invalid"
    assert time.perf_counter() - started < 1
