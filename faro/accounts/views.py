"""My page, the details asked after sign-up, and the language switch.

Sign-in, sign-up, codes, password and two-factor pages are django-allauth's, with Faro's templates
(sign-up through a subclass that spares it lookups).
"""

from typing import Any

from allauth.account import signals as account_signals
from allauth.account import views as allauth_views
from allauth.account.internal.flows.login import perform_login
from allauth.account.models import Login
from allauth.core.exceptions import ImmediateHttpResponse
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language as django_set_language

from faro.accounts import services
from faro.accounts.forms import PreferencesForm, ProfileForm, SignupDetailsForm
from faro.accounts.languages import is_available, notice
from faro.accounts.models import RoleAssignment, User
from faro.accounts.usertypes import AuthenticatedRequest
from faro.core import timefmt
from faro.core.mine import sections_for
from faro.core.todo import todo_for
from faro.lib.redirects import safe_return_url


def _safe_next(request: HttpRequest, candidate: str | None) -> str:
    return safe_return_url(request, candidate, resolve_url(settings.LOGIN_REDIRECT_URL))


def _with_language(response: HttpResponse, language: str) -> HttpResponse:
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, max_age=settings.LANGUAGE_COOKIE_AGE, samesite="Lax")
    return response


def _profile_initial(request: HttpRequest, user: User) -> dict[str, object]:
    person = user.person
    if person is None:
        return {"preferred_language": request.LANGUAGE_CODE, "phone": user.phone}
    return {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "member_state": person.member_state,
        "institution": person.institution,
        "position": person.position,
        "phone": user.phone,
        "preferred_language": person.preferred_language or request.LANGUAGE_CODE,
    }


def _save_profile(user: User, data: dict[str, Any]) -> None:
    services.update_profile(
        user,
        first_name=data["first_name"],
        last_name=data["last_name"],
        member_state=data["member_state"],
        institution=data["institution"],
        position=data["position"],
        phone=data["phone"],
        preferred_language=data["preferred_language"],
        acting_user=user,
    )


@login_required
def complete_profile(request: AuthenticatedRequest) -> HttpResponse:
    """Right after the address is proven: who I am, and optionally a password."""
    user = request.user
    form = SignupDetailsForm(request.POST or None, user=user, initial=_profile_initial(request, user))
    if request.method == "POST" and form.is_valid():
        _save_profile(user, form.cleaned_data)
        if form.cleaned_data["password"]:
            services.set_password(user, password=form.cleaned_data["password"], acting_user=user)
            update_session_auth_hash(request, user)
        messages.success(request, _("Welcome to Faro. Your account is ready."))
        next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
        return _with_language(redirect(next_url), form.cleaned_data["preferred_language"])
    context = {"form": form, "next": request.GET.get("next", "")}
    return render(request, "accounts/complete_profile.html", context)


@login_required
def details(request: AuthenticatedRequest) -> HttpResponse:
    """My details (name, country, institution, position, phone, language), from My page."""
    user = request.user
    form = ProfileForm(request.POST or None, initial=_profile_initial(request, user))
    if request.method == "POST" and form.is_valid():
        _save_profile(user, form.cleaned_data)
        messages.success(request, _("Your details are saved."))
        return _with_language(redirect("accounts:me"), form.cleaned_data["preferred_language"])
    return render(request, "accounts/details.html", {"form": form})


@login_required
def me(request: AuthenticatedRequest) -> HttpResponse:
    """The signed-in user's own page: roles, language and time zone, two-factor."""
    user = request.user
    person = user.person
    initial = {
        "language": user.preferred_language or request.LANGUAGE_CODE,
        # A zone saved under an alias ("America/Buenos_Aires") is offered as its canonical name, or the
        # form would show "Not set" and the next save would drop it.
        "timezone": timefmt.canonical(getattr(person, "timezone", "")) or "",
    }
    form = PreferencesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        language = form.cleaned_data["language"]
        services.update_preferences(user, language=language, timezone=form.cleaned_data["timezone"], acting_user=user)
        messages.success(request, _("Your preferences are saved."))
        return _with_language(redirect("accounts:me"), language)
    roles = RoleAssignment.objects.in_force().filter(user=user).select_related("institution", "member_state")
    context = {"roles": roles, "form": form, "person": person, "todo": todo_for(user), "sections": sections_for(user)}
    return render(request, "accounts/me.html", context)


def earlier_reset_link(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """A reset link mailed before allauth (`/accounts/reset/<uidb64>/<token>/`) no longer proves anything
    (allauth's tokens also cover the address): it leads to the page that mails a new link."""
    return redirect("account_reset_password")


@require_GET
def choose_language(request: HttpRequest, code: str) -> HttpResponse:
    """The header's language links: remember the choice in a cookie (and the person's profile), go back.

    A code Faro does not have ("pt-BR" is Faro's "pt") falls back to the nearest one, or changes nothing
    and says which languages Faro has.
    """
    response = HttpResponseRedirect(safe_return_url(request, request.GET.get("next"), "/"))
    try:
        language = translation.get_supported_language_variant(code.lower())
    except LookupError:
        messages.warning(request, notice(code))
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
        services.remember_language(request.user, language)
    return response


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch (cookie), plus the signed-in person's saved preference."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if not is_available(language):
        messages.warning(request, notice(language))
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        services.remember_language(request.user, language)
    return response


class SignupView(allauth_views.SignupView):  # type: ignore[misc]  # allauth ships no type hints
    """allauth's sign-up page, whose sign-in carries the new address: allauth's code step then finds
    the address row it has just written on the account, instead of asking the database four times
    (is one verified, which one is it, whose is it, is it this one)."""

    def form_valid(self, form: Any) -> HttpResponse:
        self.user, response = form.try_save(self.request)
        if response:
            return response  # type: ignore[no-any-return]  # allauth's response
        try:
            account_signals.user_signed_up.send(sender=self.user.__class__, request=self.request, user=self.user)
            login = Login(user=self.user, redirect_url=self.get_success_url(), signup=True, email=self.user.email)
            if form.by_passkey:
                login.state["passkey_signup"] = True
            return perform_login(self.request, login)  # type: ignore[no-any-return]  # allauth's response
        except ImmediateHttpResponse as error:
            return error.response  # type: ignore[no-any-return]  # allauth's response


signup = SignupView.as_view()
