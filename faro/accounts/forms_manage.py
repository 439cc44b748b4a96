"""Forms of the back office (People & access) and of accepting an invitation."""

import datetime
from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from faro.accounts.invitations import call_choices
from faro.accounts.models import RoleAssignment, User
from faro.accounts.scope import scope_for
from faro.directory.models import Institution, MemberState
from faro.lib.collation import language_choices

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
Role = RoleAssignment.Role


class InvitationForm(forms.Form):
    """Staff choose any role; a partner coordinator or focal point only nominates within their scope."""

    email = forms.EmailField(label=_("Email"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    member_state = forms.ModelChoiceField(
        label=_("Member state"),
        queryset=MemberState.objects.all(),
        required=False,
        help_text=_("For a national focal point."),
    )
    institution = forms.ModelChoiceField(
        label=_("Institution"),
        queryset=Institution.objects.all(),
        required=False,
        help_text=_("For a partner coordinator."),
    )
    calls = forms.TypedMultipleChoiceField(
        label=_("Calls to review"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("For a reviewer. None ticked: every call."),
    )
    starts_on = forms.DateField(
        label=_("From"),
        widget=DATE,
        initial=timezone.localdate,
        help_text=_("A focal point's appointment starts on this day."),
    )
    language = forms.ChoiceField(
        label=_("Language of the mail"),
        required=False,
        choices=lambda: [("", _("The person's preferred language (English if unknown)")), *language_choices()],
    )

    def __init__(self, *args: Any, acting_user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scope = scope_for(acting_user)
        fields = self.fields
        fields["calls"].choices = call_choices()  # type: ignore[attr-defined]  # self.fields types each field as forms.Field
        if scope.is_staff:
            return
        del fields["calls"]
        if scope.is_partner:
            fields["role"].choices = [(Role.PARTNER.value, Role.PARTNER.label)]  # type: ignore[attr-defined]  # self.fields types each field as forms.Field
            fields["institution"].queryset = Institution.objects.filter(pk__in=scope.institution_ids)  # type: ignore[attr-defined]  # self.fields types each field as forms.Field
            fields["institution"].required = True
            del fields["member_state"]
        else:
            fields["role"].choices = [(Role.FOCAL_POINT.value, Role.FOCAL_POINT.label)]  # type: ignore[attr-defined]  # self.fields types each field as forms.Field
            fields["member_state"].queryset = MemberState.objects.filter(pk__in=scope.member_state_ids)  # type: ignore[attr-defined]  # self.fields types each field as forms.Field
            fields["member_state"].required = True
            del fields["institution"]

    def role_fields(self) -> dict[str, Any]:
        """The role and only the scope that goes with it."""
        data, role = self.cleaned_data, self.cleaned_data["role"]
        return {
            "role": role,
            "member_state": data.get("member_state") if role == Role.FOCAL_POINT else None,
            "institution": data.get("institution") if role == Role.PARTNER else None,
            "call_ids": (data.get("calls") or []) if role == Role.REVIEWER else [],
            "starts_on": data["starts_on"],
        }


class AcceptInvitationForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    member_state = forms.ModelChoiceField(label=_("Member state"), queryset=MemberState.objects.all(), required=False)
    institution = forms.ModelChoiceField(label=_("Institution"), queryset=Institution.objects.all(), required=False)
    position = forms.CharField(label=_("Position"), max_length=200, required=False)
    preferred_language = forms.ChoiceField(label=_("Preferred language"), choices=language_choices)
    password1 = forms.CharField(
        label=_("Password (optional)"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Leave it empty to sign in with a code sent to your email each time."),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("password1") or "", data.get("password2") or ""
        if first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            try:
                password_validation.validate_password(first, User(email=self.email))
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class EndRoleForm(forms.Form):
    on = forms.DateField(
        label=_("Ends on"),
        widget=DATE,
        initial=timezone.localdate,
        help_text=_("From this day on the role gives no access."),
    )
    reason = forms.CharField(label=_("Reason"), max_length=300)


class DeactivateForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class RefuseForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


SIGNED_IN = [
    ("", _("Any time")),
    ("30", _("In the last 30 days")),
    ("90", _("In the last 90 days")),
    ("stale", _("Not in the last 90 days")),
    ("never", _("Never")),
]


class PeopleAccessFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, help_text=_("Name or email"))
    role = forms.ChoiceField(label=_("Role"), required=False, choices=[("", _("Any role")), *Role.choices])
    member_state = forms.ModelChoiceField(
        label=_("Member state"), queryset=MemberState.objects.all(), required=False, empty_label=_("Any")
    )
    institution = forms.ModelChoiceField(
        label=_("Institution"), queryset=Institution.objects.all(), required=False, empty_label=_("Any")
    )
    signed_in = forms.ChoiceField(label=_("Last sign-in"), required=False, choices=SIGNED_IN)

    def signed_in_since(self) -> tuple[str, datetime.datetime | None]:
        value = self.cleaned_data.get("signed_in") or ""
        days = 90 if value == "stale" else int(value) if value.isdigit() else 0
        return value, timezone.now() - datetime.timedelta(days=days) if days else None
