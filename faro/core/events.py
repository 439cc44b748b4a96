"""Domain events: programmes announce what happened; the layers above (webhooks) listen.

Keeps the arrows pointing one way: a service in `webinars` calls `publish_event(...)` and
never imports `api`; the api app subscribes a handler at start-up. Handlers run after the
transaction commits (the event waits in the outbox), so a rolled-back write announces nothing
and a committed one is announced even if the process dies right after the commit.
"""

from collections.abc import Callable, Iterable
from typing import Any

from faro.core import outbox

Handler = Callable[[str, dict[str, Any], frozenset[int]], Any]
_handlers: list[Handler] = []

EVENTS = [
    "registration.created",
    "registration.cancelled",
    "enrolment.completed",
    "certificate.issued",
    "certificate.revoked",
]


def subscribe(handler: Handler) -> None:
    if handler not in _handlers:
        _handlers.append(handler)


def publish_event(name: str, payload: dict[str, Any], *, institution_ids: Iterable[int] = ()) -> None:
    """Announce `name` (one of EVENTS) about the programmes of `institution_ids`, on commit."""
    if name not in EVENTS and name != "ping":
        raise ValueError(f"unknown event {name!r}")
    outbox.enqueue(dispatch_event, name, payload, sorted(set(institution_ids)))


def dispatch_event(name: str, payload: dict[str, Any], institution_ids: list[int]) -> None:
    """Run every handler for one event (from the outbox, after the announcing write committed)."""
    scope = frozenset(institution_ids)
    for handler in list(_handlers):
        handler(name, payload, scope)
