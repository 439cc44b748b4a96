from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.forms import PasswordResetForm
from django.http import HttpRequest
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _

from faro.accounts import lockout, services
from faro.accounts.models import User
from faro.core import outbox
from faro.core.middleware import time_zone_choices
from faro.core.ratelimit import client_ip


def lockout_message() -> str:
    minutes = max(1, settings.LOGIN_LOCKOUT_SECONDS // 60)
    return ngettext(
        "Too many failed sign-in attempts. For your security, sign-in is blocked for %(minutes)d minute.",
        "Too many failed sign-in attempts. For your security, sign-in is blocked for %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


class LoginForm(forms.Form):
    username = forms.EmailField(label=_("Email"))
    password = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput)

    def __init__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        self.request = request
        self.user: User | None = None
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        email, password = data.get("username") or "", data.get("password") or ""
        ip = client_ip(self.request)
        if lockout.is_locked(email, ip):
            raise forms.ValidationError(lockout_message(), code="locked")
        if email and password:
            user = authenticate(self.request, username=email, password=password)
            if user is None:
                if services.record_login_failure(email, ip=ip):
                    raise forms.ValidationError(lockout_message(), code="locked")
                raise forms.ValidationError(_("That email and password do not match an account."), code="invalid")
            self.user = user  # type: ignore[assignment]
        return data


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Six-digit code from your authenticator app"),
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


class PreferencesForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    timezone = forms.ChoiceField(
        label=_("Time zone"),
        required=False,
        help_text=_("Dates and times are shown in this time zone."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        zones = [("", _("Not set (UTC)")), *time_zone_choices()]
        self.fields["timezone"].choices = zones  # type: ignore[attr-defined]


class LocalisedPasswordResetForm(PasswordResetForm):
    """Django's reset form, with the mail rendered in the account holder's language."""

    def send_mail(  # type: ignore[override]
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        user = context["user"]
        language = user.preferred_language or get_language() or settings.LANGUAGE_CODE
        outbox.enqueue_mail("accounts/emails/password_reset", context, to=to_email, language=language)
