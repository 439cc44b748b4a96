"""URL includes and views that import their module on first use, not when the URL root loads.

Django imports every included module when the root is built and, on the first `reverse()`, walks
every resolver to fill its lookup tables. `lazy_include` defers both for a namespaced include:
its module is imported when a request's path falls under its prefix or when a name in its
namespace is reversed. Used for the API (REST framework views, serializers, the OpenAPI schema),
which no public page needs. `lazy_view` defers one view's module to its first request, for a
library's pages that the URL root must name but few visitors open (allauth's two-factor pages).
"""

import functools
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponseBase
from django.urls import URLResolver
from django.urls.resolvers import RoutePattern
from django.utils.module_loading import import_string
from django.utils.translation import get_language


class LazyNamespaceResolver(URLResolver):
    """Fills its lookup tables when they are read, not when the root's walk reaches it."""

    def _populate(self) -> None:  # the root's walk: the root only keeps this resolver under its namespace
        pass

    def _table(self, name: str) -> Any:
        """One of Django's per-language tables (`_reverse_dict`, …), filled for the active language first."""
        tables: dict[str, Any] = getattr(self, name)
        if get_language() not in tables:
            URLResolver._populate(self)
        return tables[get_language()]

    @property
    def reverse_dict(self) -> Any:
        return self._table("_reverse_dict")

    @property
    def namespace_dict(self) -> Any:
        return self._table("_namespace_dict")

    @property
    def app_dict(self) -> Any:
        return self._table("_app_dict")

    def _is_callback(self, name: str) -> bool:
        self._table("_reverse_dict")
        callbacks: set[str] = self._callback_strs  # type: ignore[attr-defined]
        return name in callbacks


def lazy_include(route: str, module: str, namespace: str) -> LazyNamespaceResolver:
    """`path(route, include(module))` for a module whose `app_name` is `namespace`, imported on first use."""
    return LazyNamespaceResolver(
        RoutePattern(route, is_endpoint=False), module, app_name=namespace, namespace=namespace
    )


def lazy_view(dotted_path: str) -> Callable[..., HttpResponseBase]:
    """The view at `dotted_path`, imported on its first request. The middleware reads no attribute
    of it before that (`csrf_exempt` and the like): use it only for views that set none."""

    @functools.cache
    def load() -> Callable[..., HttpResponseBase]:
        view: Callable[..., HttpResponseBase] = import_string(dotted_path)
        return view

    def view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        return load()(request, *args, **kwargs)

    view.__module__, _, view.__qualname__ = dotted_path.rpartition(".")  # its name in resolve()
    view.__name__ = view.__qualname__
    return view
