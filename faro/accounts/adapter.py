"""How django-allauth fits Faro: one client address, one email spelling, people joined after proof.

allauth does sign-in, sign-up by emailed code, login by code, password reset and two-factor; these
adapters only connect it to Faro's services (audit, Person records, language) and settings.
"""

from typing import Any, cast
from urllib.parse import urlencode

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from allauth.core import context as globals_context
from allauth.core import ratelimit
from allauth.mfa.adapter import DefaultMFAAdapter
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.sites.shortcuts import get_current_site
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from faro.accounts import crypto, services
from faro.accounts.models import User
from faro.core import outbox
from faro.core.ratelimit import client_ip
from faro.lib.text import normalise_email


def lockout_message() -> str:
    minutes = max(1, settings.LOGIN_LOCKOUT_SECONDS // 60)
    return ngettext(
        "Too many failed sign-in attempts. For your security, sign-in is blocked for %(minutes)d minute.",
        "Too many failed sign-in attempts. For your security, sign-in is blocked for %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


LOCKED = {"too_many_login_attempts", "rate_limited"}


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]  # allauth ships no type hints
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "email_password_mismatch": _("That email and password do not match an account."),
        "incorrect_code": _("That code is not right, or it has expired. Check the mail, or ask for a new code."),
    }

    def validation_error(self, code: str, *args: Any) -> ValidationError:
        if code in LOCKED:
            return ValidationError(lockout_message(), code=code)
        error: ValidationError = super().validation_error(code, *args)
        return error

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """allauth's mails (sign-up and sign-in codes, reset links, security notices) go through the
        outbox like every other mail: rendered now, in the visitor's language, and sent after
        commit — at once when the broker is up (or there is none), after it returns when it is down."""
        request = globals_context.request
        ctx = {"request": request, "email": email, "current_site": get_current_site(request), **context}
        outbox.enqueue_rendered_mail(self.render_mail(template_prefix, email, ctx))

    def get_client_ip(self, request: HttpRequest) -> str:
        return client_ip(request)

    def clean_email(self, email: str) -> str:
        return normalise_email(email) or ""

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        """One lockout counter per account, however its address is spelt."""
        email = normalise_email(credentials.get("email") or credentials.get("username")) or ""
        user = User.objects.filter(email__iexact=email).only("pk").first()
        return f"user:{user.pk}" if user else f"email:{email}"

    def authentication_failed(self, request: HttpRequest, **credentials: Any) -> None:
        """Audit the failure that locks an account (the rate limit refuses the next attempt)."""
        key = self._get_login_attempts_cache_key(request, **credentials)
        still_open = ratelimit.consume(request, action="login_failed", key=key, dry_run=True)
        if not still_open and key.startswith("user:"):
            user = User.objects.get(pk=int(key.removeprefix("user:")))
            services.record_lockout(user, ip=client_ip(request))

    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        """A new sign-up: only the address so far; the rest is asked once the address is proven."""
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            services.record_signup(cast(User, user), ip=client_ip(request))
        return user

    def confirm_email(self, request: HttpRequest, email_address: EmailAddress) -> bool:
        """The address is proven: only now join the account to the directory's Person with it."""
        confirmed = super().confirm_email(request, email_address)
        if confirmed:
            services.join_person(cast(User, email_address.user), email=email_address.email)
        return bool(confirmed)

    def login(self, request: HttpRequest, user: AbstractBaseUser) -> None:
        super().login(request, user)
        services.record_login(cast(User, user), ip=client_ip(request))

    def post_login(self, request: HttpRequest, user: AbstractBaseUser, **kwargs: Any) -> HttpResponse:
        """Straight after sign-up, ask for name, country, …; signing in restores the person's language."""
        response: HttpResponse = super().post_login(request, user, **kwargs)
        if kwargs.get("signup") and response.status_code == 302:
            target = reverse("accounts:profile_complete")
            next_url = response["Location"]
            if next_url and next_url != self.get_signup_redirect_url(request):
                target += "?" + urlencode({"next": next_url})
            response["Location"] = target
        language = cast(User, user).preferred_language
        if language:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME, language, max_age=settings.LANGUAGE_COOKIE_AGE, samesite="Lax"
            )
        return response


def count_rejected_code(sender: Any, request: HttpRequest, user: AbstractBaseUser, **kwargs: Any) -> None:
    """A wrong emailed sign-in code counts as a failed sign-in: five lock the account as passwords do.

    Connected to allauth's `login_code_rejected` (the code itself also stops working after five).
    """
    key = f"user:{user.pk}"
    if not ratelimit.consume(request, action="login_failed", key=key):
        services.record_lockout(cast(User, user), ip=client_ip(request))


class MFAAdapter(DefaultMFAAdapter):  # type: ignore[misc]  # allauth ships no type hints
    """Two-factor secrets are stored encrypted (see `faro.accounts.crypto`)."""

    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "incorrect_code": _("That code is not right. Check your app and try again."),
    }

    def encrypt(self, text: str) -> str:
        return crypto.encrypt(text)

    def decrypt(self, encrypted_text: str) -> str:
        return crypto.decrypt(encrypted_text)
