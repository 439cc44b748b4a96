"""allauth's two-factor pages (mounted at /accounts/2fa/ as `allauth.urls` does), by the same
paths and names, each view imported on its first request: the views bring WebAuthn and QR code
modules that the pages most visitors open never need. `tests/test_urls_mfa.py` checks that this
list matches allauth's own for Faro's settings."""

from collections.abc import Callable

from django.http import HttpResponseBase
from django.urls import path

from faro.lib.urls import lazy_view


def _view(name: str) -> Callable[..., HttpResponseBase]:
    return lazy_view(f"allauth.mfa.{name}")


urlpatterns = [
    path("", _view("base.views.index"), name="mfa_index"),
    path("authenticate/", _view("base.views.authenticate"), name="mfa_authenticate"),
    path("reauthenticate/", _view("base.views.reauthenticate"), name="mfa_reauthenticate"),
    path("totp/activate/", _view("totp.views.activate_totp"), name="mfa_activate_totp"),
    path("totp/deactivate/", _view("totp.views.deactivate_totp"), name="mfa_deactivate_totp"),
    path("recovery-codes/", _view("recovery_codes.views.view_recovery_codes"), name="mfa_view_recovery_codes"),
    path(
        "recovery-codes/generate/",
        _view("recovery_codes.views.generate_recovery_codes"),
        name="mfa_generate_recovery_codes",
    ),
    path(
        "recovery-codes/download/",
        _view("recovery_codes.views.download_recovery_codes"),
        name="mfa_download_recovery_codes",
    ),
    path("webauthn/", _view("webauthn.views.list_webauthn"), name="mfa_list_webauthn"),
    path("webauthn/add/", _view("webauthn.views.add_webauthn"), name="mfa_add_webauthn"),
    path(
        "webauthn/reauthenticate/",
        _view("webauthn.views.reauthenticate_webauthn"),
        name="mfa_reauthenticate_webauthn",
    ),
    path("webauthn/keys/<int:pk>/remove/", _view("webauthn.views.remove_webauthn"), name="mfa_remove_webauthn"),
    path("webauthn/keys/<int:pk>/edit/", _view("webauthn.views.edit_webauthn"), name="mfa_edit_webauthn"),
    path("webauthn/login/", _view("webauthn.views.login_webauthn"), name="mfa_login_webauthn"),  # passkey sign-in
]
