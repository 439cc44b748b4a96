"""Signing and sending one webhook request. Receivers check `X-Faro-Signature`.

signature = "sha256=" + hex(HMAC-SHA256(secret, f"{timestamp}.{body}")), where timestamp is the
`X-Faro-Timestamp` header (Unix seconds); receivers should refuse stale timestamps.

A webhook must not turn Faro into a scanner of its own network: `check_url` accepts only https
(http too when DEBUG), resolves the host and refuses any private, loopback, link-local, multicast,
reserved or unspecified address. It runs when a partner subscribes and again before every delivery,
and the request is sent to the very address that was checked (a DNS answer that changes between
the check and the connection — rebinding — cannot redirect it). Redirects are not followed, and a
failure is recorded as a short fixed reason, never the remote side's error text.
"""

import hashlib
import hmac
import http.client
import ipaddress
import json
import socket
import ssl
import time
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext_lazy as _

TIMEOUT_SECONDS = 10


class UnsafeURL(OSError):
    """The URL may not receive webhooks (a delivery attempt fails with it); `str()` is a translated reason."""


def _allowed_networks() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """Internal networks an installation deliberately allows (`FARO_WEBHOOK_ALLOWED_NETWORKS`; tests)."""
    return [ipaddress.ip_network(n) for n in getattr(settings, "FARO_WEBHOOK_ALLOWED_NETWORKS", ())]


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if any(ip in network for network in _allowed_networks()):
        return True
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_link_local or ip.is_loopback)


def check_url(url: str) -> tuple[str, str, int, str]:
    """(scheme, host, port, checked IP address) of a URL that may receive webhooks; raises UnsafeURL."""
    parts = urlsplit(url)
    schemes = {"https", "http"} if settings.DEBUG else {"https"}
    if parts.scheme not in schemes:
        raise UnsafeURL(_("Webhook addresses must start with https://."))
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise UnsafeURL(_("This address has an invalid port.")) from error
    if not parts.hostname or parts.username or parts.password:
        raise UnsafeURL(_("Give the address as https://host/path, without a user name or password."))
    try:
        found = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise UnsafeURL(_("This host name does not resolve.")) from error
    addresses = [str(info[4][0]) for info in found]
    if not addresses or not all(_is_public(a) for a in addresses):
        raise UnsafeURL(_("This address points into a private or reserved network; use a public address."))
    return parts.scheme, parts.hostname, port, addresses[0]


def failure_reason(error: OSError) -> str:
    """What the delivery log shows for a failed attempt: a fixed reason, not the remote error text."""
    if isinstance(error, UnsafeURL):
        return "blocked address"
    if isinstance(error, TimeoutError | socket.timeout):
        return "timeout"
    if isinstance(error, ssl.SSLError):
        return "TLS error"
    return "connection failed"


def _connect(scheme: str, host: str, port: int, address: str) -> http.client.HTTPConnection:
    """A connection to the checked `address`, speaking TLS with `host`'s name (SNI and certificate)."""
    sock = socket.create_connection((address, port), timeout=TIMEOUT_SECONDS)
    if scheme == "https":
        try:
            sock = ssl.create_default_context().wrap_socket(sock, server_hostname=host)
        except BaseException:
            sock.close()
            raise
        connection: http.client.HTTPConnection = http.client.HTTPSConnection(host, port, timeout=TIMEOUT_SECONDS)
    else:
        connection = http.client.HTTPConnection(host, port, timeout=TIMEOUT_SECONDS)
    connection.sock = sock
    return connection


def sign(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"sha256={mac.hexdigest()}"


def encode(event: str, delivery_id: int, payload: dict[str, Any]) -> bytes:
    return json.dumps({"event": event, "delivery": delivery_id, "data": payload}, sort_keys=True).encode()


def post(url: str, *, secret: str, event: str, delivery_id: int, payload: dict[str, Any]) -> int:
    """POST the signed payload; returns the HTTP status, raises OSError on network failure."""
    body = encode(event, delivery_id, payload)
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Faro-Webhooks/1",
        "X-Faro-Event": event,
        "X-Faro-Delivery": str(delivery_id),
        "X-Faro-Timestamp": str(timestamp),
        "X-Faro-Signature": sign(secret, timestamp, body),
    }
    scheme, host, port, address = check_url(url)  # again at every delivery: DNS may have changed
    parts = urlsplit(url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    connection = _connect(scheme, host, port, address)
    try:
        connection.request("POST", path, body=body, headers=headers)
        return int(connection.getresponse().status)  # a 3xx is a failed delivery: redirects are not followed
    except http.client.HTTPException as error:
        raise ConnectionError("bad response") from error
    finally:
        connection.close()
