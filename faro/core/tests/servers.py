"""Real servers a fault test starts and stops itself: Redis on a free port, an SMTP server, a Celery worker."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from pytest_django.fixtures import Settings

HAS_REDIS = bool(shutil.which("redis-server"))
needs_redis = pytest.mark.skipif(not HAS_REDIS, reason="redis-server is not on PATH")
ROOT = Path(__file__).resolve().parents[3]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for_port(port: int, *, up: bool, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            listening = probe.connect_ex(("127.0.0.1", port)) == 0
        if listening == up:
            return
        time.sleep(0.05)
    raise TimeoutError(f"port {port} did not go {'up' if up else 'down'}")


class RedisServer:
    """A throw-away redis-server (no persistence) that can be stopped and started again on its port."""

    def __init__(self, workdir: Path) -> None:
        self.port = free_port()
        self.workdir = workdir
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        self.process = subprocess.Popen(command, cwd=self.workdir, stdout=subprocess.DEVNULL)
        wait_for_port(self.port, up=True)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        wait_for_port(self.port, up=False)


@contextmanager
def redis_server(workdir: Path) -> Iterator[RedisServer]:
    server = RedisServer(workdir)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@contextmanager
def broker_and_cache(url: str, settings: Settings) -> Iterator[None]:
    """Point the Django cache and Celery (not eager any more) at `url` for the block."""
    from faro.celery import app
    from faro.core import outbox

    before = {"CACHES": settings.CACHES, "CELERY_TASK_ALWAYS_EAGER": settings.CELERY_TASK_ALWAYS_EAGER}
    settings.CACHES = {
        "default": {
            "BACKEND": "faro.core.cache.TolerantRedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    settings.CELERY_TASK_ALWAYS_EAGER = False
    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager")}
    app.conf.update(broker_url=url, task_always_eager=False)
    app._after_fork()  # type: ignore[attr-defined]  # Celery's private reset: forget connection pools made for another broker
    outbox._Broker.down_until = 0.0
    try:
        yield
    finally:
        for name, value in before.items():
            setattr(settings, name, value)
        app.conf.update(saved)
        app._after_fork()  # type: ignore[attr-defined]  # as above
        outbox._Broker.down_until = 0.0


def drain_broker(timeout: float = 1.0) -> int:
    """Do what a worker does with every message waiting in the default queue; returns how many."""
    from faro.celery import app

    count = 0
    with app.connection_for_read() as connection:
        queue = connection.SimpleQueue(app.conf.task_default_queue)
        while True:
            try:
                message = queue.get(block=True, timeout=timeout)
            except queue.Empty:
                break
            args, kwargs, _embed = message.payload
            app.tasks[message.headers["task"]](*args, **kwargs)
            message.ack()
            count += 1
        queue.close()
    return count


def worker_env(**extra: str) -> dict[str, str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "faro.settings", **extra}
    env.pop("CELERY_TASK_ALWAYS_EAGER", None)
    return env


class Worker:
    """A real `celery worker` process (solo pool) started by the test, which the test may kill."""

    def __init__(self, broker_url: str, log: Path, **env: str) -> None:
        command = [sys.executable, "-m", "celery", "-A", "faro", "worker", "--pool", "solo", "--loglevel", "INFO"]
        self.log = log
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=worker_env(CELERY_BROKER_URL=broker_url, **env),
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if "ready." in self.log.read_text(errors="replace"):
                return
            if self.process.poll() is not None:
                raise RuntimeError(f"the worker exited:\n{self.log.read_text(errors='replace')}")
            time.sleep(0.2)
        raise TimeoutError(f"the worker did not start:\n{self.log.read_text(errors='replace')}")

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        if self.alive:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.alive:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()
