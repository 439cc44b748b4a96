"""Background tasks that import Celery only when one is sent.

`@task` makes a function a Celery task named by its dotted path, as `celery.shared_task` does, but
declaring one imports nothing: a web worker that never sends a task never loads Celery and kombu
(several MiB each). Calling the task runs the function here, as the outbox does when it delivers a
message; `.delay()` and `.apply_async()` load the Celery app (`faro.celery`) the first time one is
sent. That app registers every task declared before it loaded and each one declared afterwards
(the worker's autodiscovery), so the worker and beat find them by the same names as before.
"""

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, ParamSpec, TypeVar, overload

if TYPE_CHECKING:
    from celery import Celery
    from celery.app.task import Task as CeleryTask
    from celery.result import AsyncResult

P = ParamSpec("P")
R = TypeVar("R")

_declared: list["Task[Any, Any]"] = []
_apps: list["Celery"] = []  # the app that registers tasks, once `faro.celery` has loaded


class Task(Generic[P, R]):
    """A function that is also the Celery task of the same dotted name."""

    __name__: str  # the function's, like its module and docstring (functools.update_wrapper)

    def __init__(self, function: Callable[P, R], options: dict[str, Any]) -> None:
        functools.update_wrapper(self, function)
        self.function = function
        self.name = f"{function.__module__}.{function.__name__}"  # Celery's own name for it
        self.options = options

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        return self.function(*args, **kwargs)

    @property
    def celery_task(self) -> "CeleryTask[P, R]":
        task: CeleryTask[P, R] = celery_app().tasks[self.name]
        return task

    def delay(self, *args: P.args, **kwargs: P.kwargs) -> "AsyncResult[R]":
        return self.celery_task.delay(*args, **kwargs)

    def apply_async(
        self, args: tuple[Any, ...] | None = None, kwargs: dict[str, Any] | None = None, **options: Any
    ) -> "AsyncResult[R]":
        return self.celery_task.apply_async(args, kwargs, **options)


@overload
def task(function: Callable[P, R], /) -> Task[P, R]: ...
@overload
def task(*, acks_late: bool = ...) -> Callable[[Callable[P, R]], Task[P, R]]: ...
def task(
    function: Callable[P, R] | None = None, /, **options: Any
) -> Task[P, R] | Callable[[Callable[P, R]], Task[P, R]]:
    """`@task` or `@task(acks_late=True)`: declare a background task (Celery's task options)."""

    def declare(function: Callable[P, R]) -> Task[P, R]:
        declared = Task(function, options)
        _declared.append(declared)
        for app in _apps:
            _register(app, declared)
        return declared

    return declare(function) if function else declare


def register_all(app: "Celery") -> None:
    """Register with `app` every task declared so far, and each one declared from now on."""
    _apps.append(app)
    for declared in _declared:
        _register(app, declared)


def _register(app: "Celery", declared: Task[Any, Any]) -> None:
    # Not shared: the task belongs to Faro's app only (shared tasks join every app made later).
    options: dict[str, Any] = {"name": declared.name, "shared": False, **declared.options}
    app.task(**options)(declared.function)


def celery_app() -> "Celery":
    """Faro's Celery app, imported (with Celery) on first use."""
    from faro.celery import app

    return app
