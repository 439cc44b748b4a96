"""A namespaced URL include that imports its module on first use, not when the URL root loads.

Django imports every included module when the root is built and, on the first `reverse()`, walks
every resolver to fill its lookup tables. `lazy_include` defers both for a namespaced include:
its module is imported when a request's path falls under its prefix or when a name in its
namespace is reversed. Used for the API (REST framework views, serializers, the OpenAPI schema),
which no public page needs.
"""

from typing import Any

from django.urls import URLResolver
from django.urls.resolvers import RoutePattern
from django.utils.translation import get_language


class LazyNamespaceResolver(URLResolver):
    """Fills its lookup tables when they are read, not when the root's walk reaches it."""

    def _populate(self) -> None:  # the root's walk: the root only keeps this resolver under its namespace
        pass

    def _fill(self, tables: dict[str, Any]) -> None:
        if get_language() not in tables:
            URLResolver._populate(self)  # type: ignore[attr-defined]

    @property
    def reverse_dict(self) -> Any:
        self._fill(self._reverse_dict)
        return self._reverse_dict[get_language()]

    @property
    def namespace_dict(self) -> Any:
        self._fill(self._namespace_dict)
        return self._namespace_dict[get_language()]

    @property
    def app_dict(self) -> Any:
        self._fill(self._app_dict)
        return self._app_dict[get_language()]

    def _is_callback(self, name: str) -> bool:
        self._fill(self._reverse_dict)
        return name in self._callback_strs  # type: ignore[attr-defined]


def lazy_include(route: str, module: str, namespace: str) -> LazyNamespaceResolver:
    """`path(route, include(module))` for a module whose `app_name` is `namespace`, imported on first use."""
    return LazyNamespaceResolver(
        RoutePattern(route, is_endpoint=False), module, app_name=namespace, namespace=namespace
    )
