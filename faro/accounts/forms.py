"""Faro's forms for allauth's pages (one email spelling everywhere), sign-up details and My page."""

from typing import Any

from allauth.account import app_settings as account_settings
from allauth.account import forms as allauth_forms
from allauth.account.adapter import get_adapter
from django import forms
from django.contrib.auth import password_validation
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from faro.accounts import services
from faro.accounts.models import User
from faro.core.middleware import time_zone_choices
from faro.directory.models import Institution, MemberState
from faro.lib.collation import CollatedModelChoiceField, language_choices
from faro.lib.text import normalise_email

VERIFIED_EMAIL_KEY = "account_verified_email"  # where allauth's adapter stashes an address proven before sign-up


def verification_is_mandatory() -> bool:
    return bool(account_settings.EMAIL_VERIFICATION == account_settings.EmailVerificationMethod.MANDATORY)


class NormalisedEmailMixin(forms.Form):
    """Typed addresses are normalised (NFKC, casefold) before allauth looks them up or counts them."""

    email_fields = ("email", "login")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.is_bound:
            data = self.data.copy()  # type: ignore[attr-defined]  # a QueryDict when bound
            for name in self.email_fields:
                if name in data:
                    data[name] = normalise_email(data[name]) or ""
            self.data = data


class LoginForm(NormalisedEmailMixin, allauth_forms.LoginForm):  # type: ignore[misc]  # allauth ships no type hints
    """Email and password (sign-up asks for no password, yet those who chose one sign in with it)."""

    def _setup_password_field(self) -> None:
        pass


class SignupForm(NormalisedEmailMixin, allauth_forms.SignupForm):  # type: ignore[misc]  # allauth ships no type hints
    """Sign-up asks only for the address; details come once it is proven.

    allauth's own steps, with fewer statements: whether the address is taken is one query (allauth
    asks the addresses, then the accounts), and the new account's address is one INSERT (allauth
    first asks three more times whether it exists). An address taken by a sign-up at the same moment
    meets the database's unique index and is answered as any taken address is."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("Your email address")
        self.fields["email"].help_text = _("We mail you a six-digit code to prove it is yours.")

    def validate_unique_email(self, value: str) -> str:
        """As allauth: a taken address goes on as a new one (enumeration prevention with mandatory
        verification: its owner is mailed instead); under any other settings allauth decides."""
        taken = services.email_taken(value)
        if taken and not (account_settings.PREVENT_ENUMERATION and verification_is_mandatory()):
            checked: str = super().validate_unique_email(value)
            return checked
        self.account_already_exists = taken
        email: str = get_adapter().validate_unique_email(value)
        return email

    def try_save(self, request: HttpRequest) -> tuple[User | None, HttpResponse | None]:
        try:
            with transaction.atomic():
                saved: tuple[User | None, HttpResponse | None] = super().try_save(request)
                return saved
        except IntegrityError:  # the same address signed up a moment ago: it is taken now
            self.account_already_exists = True
            again: tuple[User | None, HttpResponse | None] = super().try_save(request)
            return again

    def save(self, request: HttpRequest) -> User:
        if self.account_already_exists or VERIFIED_EMAIL_KEY in request.session:
            user: User = super().save(request)  # an address proven before signing up: allauth's own way
            return user
        adapter = get_adapter()
        user = adapter.save_user(request, adapter.new_user(request), self)
        self.custom_signup(request, user)
        services.add_first_address(user, email=self.cleaned_data["email"])
        return user


class RequestLoginCodeForm(NormalisedEmailMixin, allauth_forms.RequestLoginCodeForm):  # type: ignore[misc]  # allauth ships no type hints
    pass


class ResetPasswordForm(NormalisedEmailMixin, allauth_forms.ResetPasswordForm):  # type: ignore[misc]  # allauth ships no type hints
    pass


class AddEmailForm(NormalisedEmailMixin, allauth_forms.AddEmailForm):  # type: ignore[misc]  # allauth ships no type hints
    """A new address for my account; one that another account uses is refused, saying so."""

    def clean_email(self) -> str:
        email = super().clean_email()
        if User.objects.filter(email__iexact=email).exclude(pk=self.user.pk).exists():
            raise forms.ValidationError(
                _("Another account uses this address. Sign in to that account, or choose another address."),
                code="taken",
            )
        checked: str = email
        return checked


class ProfileForm(forms.Form):
    """Who I am: asked after sign-up, and editable on My page."""

    first_name = forms.CharField(label=_("First name(s)"), max_length=100)
    last_name = forms.CharField(label=_("Last name(s)"), max_length=100, required=False)
    member_state = CollatedModelChoiceField(
        label=_("Member state"),
        queryset=MemberState.objects.order_by("code"),
        required=False,
        help_text=_("The country whose port community you work for."),
    )
    institution = CollatedModelChoiceField(
        label=_("Institution"),
        queryset=Institution.objects.order_by("name"),
        required=False,
        help_text=_("Leave empty if yours is not listed; the Secretariat can add it."),
    )
    position = forms.CharField(label=_("Position"), max_length=200, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    preferred_language = forms.ChoiceField(label=_("Preferred language"), choices=language_choices)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member_state"].label_from_instance = lambda state: state.name  # type: ignore[attr-defined]  # self.fields types each field as forms.Field


class SignupDetailsForm(ProfileForm):
    """The details asked right after the address is proven, with an optional password."""

    password = forms.CharField(
        label=_("Password (optional)"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Without one, you sign in with a code we mail you each time."),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = self.cleaned_data.get("password") or ""
        if password:
            password_validation.validate_password(password, self.user)
        return password


class PreferencesForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=language_choices)
    timezone = forms.ChoiceField(
        label=_("Time zone"),
        required=False,
        help_text=_("Dates and times are shown in this time zone."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        zones = [("", _("Not set (UTC)")), *time_zone_choices()]
        self.fields["timezone"].choices = zones  # type: ignore[attr-defined]  # self.fields types each field as forms.Field
