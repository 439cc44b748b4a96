"""Celery task messages put straight on a Redis broker, by one Redis client kept per process.

Celery's `delay()` on its Redis transport runs the router, the publish signals and retry policy and
kombu's producer, and makes a new Redis client for the one `LPUSH` that sends the message: about
0.7 ms of CPU per message, a tenth of the registration POST. When the set-up is Celery's plain one —
a single `redis://` broker, the default queue (no routes, no priorities, no key prefix), JSON,
protocol 2 — `sender_for` gives a function that writes the message Celery would write (the same
headers, body and kombu envelope; a test compares them) with one `LPUSH` on a client that lives as
long as the process: about 0.1 ms. For any other set-up it answers None, and the caller goes through
Celery as before.

The client reconnects by itself: a command on a connection the server closed (Redis restarted) is
sent once more on a new connection; a broker that is down raises `redis.ConnectionError` at once.
A message that reaches the broker twice this way is harmless where each delivery is claimed once
(the outbox's worker claims every message with a conditional update).
"""

import base64
import json
import os
import socket
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import urlparse

if TYPE_CHECKING:
    from celery import Celery

# Transport options this path honours; any other (a key prefix, priority steps, …) goes through Celery.
PLAIN_TRANSPORT_OPTIONS = frozenset(
    {"socket_connect_timeout", "socket_timeout", "retry_on_timeout", "visibility_timeout"}
)
# A task's own options that would change its message or its queue.
EXEC_OPTIONS = (
    "queue",
    "routing_key",
    "exchange",
    "priority",
    "delivery_mode",
    "compression",
    "time_limit",
    "soft_time_limit",
)
NO_TASK_OPTIONS = {"callbacks": None, "errbacks": None, "chain": None, "chord": None}

_publishers: dict[tuple[str, str], "RedisPublisher"] = {}
_senders: dict[tuple[str, str, str], Callable[[tuple[Any, ...]], str] | None] = {}


class RedisPublisher:
    """Sends Celery task messages to one queue of one Redis broker over a client kept for the process."""

    def __init__(self, url: str, queue: str, options: dict[str, Any]) -> None:
        import redis  # here, not at start-up: a web worker that never sends a task never loads it
        from redis.backoff import NoBackoff
        from redis.retry import Retry

        self.queue = queue
        self.client = redis.Redis.from_url(
            url,
            socket_connect_timeout=options.get("socket_connect_timeout"),
            socket_timeout=options.get("socket_timeout"),
            # Once more on a fresh connection after a dropped one (Redis restarted), at once; never after
            # a timeout, so a broker that hangs costs a request one timeout, as Celery's publish did.
            retry=Retry(NoBackoff(), 1, supported_errors=(redis.ConnectionError,)),
        )

    def send(self, name: str, args: tuple[Any, ...], *, ignore_result: bool, reply_to: str = "") -> str:
        """Queue task `name` with positional `args` (JSON values); returns the task id. `reply_to` is
        the sending app's address for replies (Celery's per-thread id), which only an `rpc://` result
        backend reads."""
        task_id = str(uuid.uuid4())
        message = task_message(name, task_id, args, queue=self.queue, ignore_result=ignore_result, reply_to=reply_to)
        self.client.lpush(self.queue, message)
        return task_id


def task_message(
    name: str, task_id: str, args: tuple[Any, ...], *, queue: str, ignore_result: bool, reply_to: str
) -> bytes:
    """The JSON that Celery (protocol 2) and kombu's Redis transport put on the list for `queue`."""
    headers: dict[str, Any] = {
        "lang": "py",
        "task": name,
        "id": task_id,
        "shadow": None,
        "eta": None,
        "expires": None,
        "group": None,
        "group_index": None,
        "retries": 0,
        "timelimit": [None, None],
        "root_id": task_id,
        "parent_id": None,
        "argsrepr": repr(tuple(args)),
        "kwargsrepr": "{}",
        "origin": f"gen{os.getpid()}@{_hostname()}",
        "ignore_result": ignore_result,
        "replaced_task_nesting": 0,
        "stamped_headers": None,
        "stamps": {},
    }
    body = json.dumps([list(args), {}, NO_TASK_OPTIONS]).encode()
    envelope = {
        "body": base64.b64encode(body).decode(),
        "content-encoding": "utf-8",
        "content-type": "application/json",
        "headers": headers,
        "properties": {
            "correlation_id": task_id,
            "reply_to": reply_to,
            "delivery_mode": 2,
            "delivery_info": {"exchange": "", "routing_key": queue},
            "priority": 0,
            "body_encoding": "base64",
            "delivery_tag": str(uuid.uuid4()),
        },
    }
    return json.dumps(envelope).encode()


_host: list[str] = []


def _hostname() -> str:
    if not _host:
        _host.append(socket.gethostname())
    return _host[0]


def sender_for(task: Any) -> Callable[[tuple[Any, ...]], str] | None:
    """A function that queues Celery task `task` with the positional arguments it is given, straight
    on the Redis broker, kept for the process; None when the set-up or the task is not the plain one
    (then send it through Celery). The set-up is read once per broker URL, queue and task."""
    app = celery_app(task)
    conf = app.conf
    url, queue = conf.broker_url, conf.task_default_queue
    key = (str(url), str(queue), task.name)
    if key not in _senders:
        sender = None
        if is_plain(app) and is_plain_task(app, task.name):
            publisher = _publishers.get((url, queue))
            if publisher is None:
                publisher = _publishers[(url, queue)] = RedisPublisher(url, queue, conf.broker_transport_options or {})
            sender = _sender(publisher, app, task.name)
        _senders[key] = sender
    return _senders[key]


def _sender(publisher: RedisPublisher, app: "Celery", name: str) -> Callable[[tuple[Any, ...]], str]:
    ignore_result = bool(app.tasks[name].ignore_result)

    def send(args: tuple[Any, ...]) -> str:
        return publisher.send(name, args, ignore_result=ignore_result, reply_to=app.thread_oid)

    return send


def celery_app(task: Any) -> "Celery":
    """The Celery app a task belongs to (a Celery task's own, or that of the task a wrapper stands for)."""
    app = getattr(task, "app", None) or task.celery_task.app
    return cast("Celery", app)


def is_plain(app: "Celery") -> bool:
    """Whether `app` sends every task as Celery's defaults do, to one Redis server."""
    conf = app.conf
    url = conf.broker_url
    return (
        isinstance(url, str)
        and urlparse(url).scheme == "redis"
        and ";" not in url
        and not conf.task_routes
        and conf.task_queues is None
        and not conf.broker_use_ssl
        and conf.task_default_priority is None
        and conf.task_serializer == "json"
        and conf.task_compression is None
        and int(conf.task_protocol) == 2
        and conf.task_default_exchange in {None, conf.task_default_queue}
        and conf.task_default_routing_key in {None, conf.task_default_queue}
        and set(conf.broker_transport_options or {}) <= PLAIN_TRANSPORT_OPTIONS
    )


def is_plain_task(app: "Celery", name: str) -> bool:
    """Whether task `name` sets none of the options that change its message (queue, priority, …)."""
    task = app.tasks[name]
    return all(getattr(task, option, None) is None for option in EXEC_OPTIONS) and task.serializer == "json"
