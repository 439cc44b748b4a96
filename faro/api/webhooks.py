"""Signing and sending one webhook request. Receivers check `X-Faro-Signature`.

signature = "sha256=" + hex(HMAC-SHA256(secret, f"{timestamp}.{body}")), where timestamp is the
`X-Faro-Timestamp` header (Unix seconds); receivers should refuse stale timestamps.
"""

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from typing import Any

TIMEOUT_SECONDS = 10


def sign(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"sha256={mac.hexdigest()}"


def encode(event: str, delivery_id: int, payload: dict[str, Any]) -> bytes:
    return json.dumps({"event": event, "delivery": delivery_id, "data": payload}, sort_keys=True).encode()


def post(url: str, *, secret: str, event: str, delivery_id: int, payload: dict[str, Any]) -> int:
    """POST the signed payload; returns the HTTP status, raises OSError on network failure."""
    body = encode(event, delivery_id, payload)
    timestamp = int(time.time())
    request = urllib.request.Request(  # noqa: S310 — subscriptions only accept http(s) URLs
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "Faro-Webhooks/1",
            "X-Faro-Event": event,
            "X-Faro-Delivery": str(delivery_id),
            "X-Faro-Timestamp": str(timestamp),
            "X-Faro-Signature": sign(secret, timestamp, body),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)
