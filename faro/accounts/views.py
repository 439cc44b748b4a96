"""Sign-in (password, then a code for two-factor users), my page, two-factor set-up, language."""

import time
from typing import cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language as django_set_language

from faro.accounts import lockout, services
from faro.accounts.forms import CodeForm, LoginForm, PreferencesForm, lockout_message
from faro.accounts.models import RoleAssignment, User
from faro.core.ratelimit import client_ip
from faro.core.todo import todo_for
from faro.lib.qr import qr_svg

PENDING = "faro_pending_login"  # the user who gave a right password and still owes a code
PENDING_SECONDS = 300
ENROL_SECRET = "faro_totp_secret"  # noqa: S105 (a session key, not a secret)


def _safe_next(request: HttpRequest, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _complete_login(request: HttpRequest, user: User, next_url: str, *, two_factor: bool) -> HttpResponse:
    auth_login(request, user, backend="faro.accounts.backends.EmailBackend")
    services.record_login(user, ip=client_ip(request), two_factor=two_factor)
    response = HttpResponseRedirect(next_url)
    if user.preferred_language:  # signing in brings back the language the person chose
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME, user.preferred_language, max_age=settings.LANGUAGE_COOKIE_AGE, samesite="Lax"
        )
    return response


def login(request: HttpRequest) -> HttpResponse:
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if request.user.is_authenticated:
        return redirect(next_url)
    form = LoginForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid() and form.user is not None:
        if form.user.has_two_factor:
            request.session[PENDING] = {"user": form.user.pk, "next": next_url, "at": time.time()}
            return redirect("accounts:login_code")
        return _complete_login(request, form.user, next_url, two_factor=False)
    return render(request, "accounts/login.html", {"form": form, "next": request.GET.get("next", "")})


def login_code(request: HttpRequest) -> HttpResponse:
    """Second step for users with two-factor: the code from their authenticator app."""
    pending = request.session.get(PENDING) or {}
    user = User.objects.filter(pk=pending.get("user") or 0, is_active=True).first()
    if user is None or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        request.session.pop(PENDING, None)
        messages.info(request, _("Please sign in again."))
        return redirect("accounts:login")
    form = CodeForm(request.POST or None)
    ip = client_ip(request)
    if request.method == "POST" and form.is_valid():
        if lockout.is_locked(user.email, ip):
            form.add_error(None, lockout_message())
        elif services.verify_totp(user.totp_secret, form.cleaned_data["code"]):
            del request.session[PENDING]
            return _complete_login(request, user, pending["next"], two_factor=True)
        elif services.record_login_failure(user.email, ip=ip):
            form.add_error(None, lockout_message())
        else:
            form.add_error("code", _("That code is not right. Check your app and try again."))
    return render(request, "accounts/login_code.html", {"form": form})


@login_required
def me(request: HttpRequest) -> HttpResponse:
    """The signed-in user's own page: roles, language and time zone, two-factor."""
    user = cast(User, request.user)
    person = user.person
    initial = {
        "language": user.preferred_language or request.LANGUAGE_CODE,
        "timezone": getattr(person, "timezone", ""),
    }
    form = PreferencesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        language = form.cleaned_data["language"]
        services.update_preferences(user, language=language, timezone=form.cleaned_data["timezone"], acting_user=user)
        messages.success(request, _("Your preferences are saved."))
        response = redirect("accounts:me")
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME, language, max_age=settings.LANGUAGE_COOKIE_AGE, samesite="Lax"
        )
        return response
    roles = RoleAssignment.objects.in_force().filter(user=user).select_related("institution", "member_state")
    context = {"roles": roles, "form": form, "person": person, "todo": todo_for(user)}
    return render(request, "accounts/me.html", context)


@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """Set up two-factor sign-in: scan the QR code (or type the secret), then confirm a code."""
    user = cast(User, request.user)
    if user.has_two_factor:
        return render(request, "accounts/two_factor_on.html", {"form": CodeForm()})
    secret = request.session.get(ENROL_SECRET) or services.new_totp_secret()
    request.session[ENROL_SECRET] = secret
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.enable_two_factor(user, secret=secret, code=form.cleaned_data["code"], acting_user=user):
            del request.session[ENROL_SECRET]
            messages.success(
                request, _("Two-factor sign-in is on. You will be asked for a code each time you sign in.")
            )
            return redirect("accounts:me")
        form.add_error("code", _("That code is not right. Check your app and try again."))
    uri = services.totp_uri(user, secret)
    context = {
        "form": form,
        "qr": qr_svg(uri, title=_("QR code for your authenticator app")),
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
    }
    return render(request, "accounts/two_factor.html", context)


@login_required
@require_POST
def two_factor_off(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    form = CodeForm(request.POST)
    if form.is_valid() and services.verify_totp(user.totp_secret, form.cleaned_data["code"]):
        services.disable_two_factor(user, acting_user=user)
        messages.success(request, _("Two-factor sign-in is off."))
        return redirect("accounts:me")
    form.add_error("code", _("That code is not right. Check your app and try again."))
    return render(request, "accounts/two_factor_on.html", {"form": form})


@require_GET
def choose_language(request: HttpRequest, code: str) -> HttpResponse:
    """The header's language links: remember the choice in a cookie (and the person's profile), go back.

    A code Faro does not have ("pt-BR" is Faro's "pt") falls back to the nearest one, or changes nothing.
    """
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    try:
        language = translation.get_supported_language_variant(code.lower())
    except LookupError:
        return response
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
    )
    if request.user.is_authenticated:
        services.remember_language(cast(User, request.user), language)
    return response


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch (cookie), plus the signed-in person's saved preference."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        services.remember_language(cast(User, request.user), language)
    return response
