"""Faro's list of allauth's two-factor pages is allauth's own: same paths, names and views."""

from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.urls import URLPattern, URLResolver, resolve, reverse
from django.utils.module_loading import import_string

from faro.accounts import urls_mfa


def flat(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, str | None, Callable[..., Any]]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from flat(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.name, pattern.callback


def test_the_lazy_list_is_allauths_for_these_settings() -> None:
    from allauth.mfa import urls as allauths

    theirs = {(route, name): view for route, name, view in flat(allauths.urlpatterns)}
    ours = {
        (route, name): import_string(f"{view.__module__}.{view.__qualname__}")
        for route, name, view in flat(urls_mfa.urlpatterns)
    }
    assert ours.keys() == theirs.keys()
    assert all(ours[key] is theirs[key] for key in theirs)


def test_no_wrapped_view_sets_what_middleware_reads_before_the_view_runs() -> None:
    for _route, _name, view in flat(urls_mfa.urlpatterns):
        real = import_string(f"{view.__module__}.{view.__qualname__}")
        assert not getattr(real, "csrf_exempt", False)
    # Some set `login_required = False`, which only Django's LoginRequiredMiddleware reads (Faro has none).
    assert "django.contrib.auth.middleware.LoginRequiredMiddleware" not in settings.MIDDLEWARE


def test_the_names_reverse_and_resolve_as_before() -> None:
    assert reverse("mfa_index") == "/accounts/2fa/"
    assert reverse("mfa_remove_webauthn", args=[7]) == "/accounts/2fa/webauthn/keys/7/remove/"
    match = resolve("/accounts/2fa/totp/activate/")
    assert match.url_name == "mfa_activate_totp"
    assert match.func.__name__ == "activate_totp"
