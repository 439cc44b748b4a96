from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from faro.api.models import ApiToken
from faro.api.webhooks import UnsafeURL, check_url
from faro.core.events import EVENTS
from faro.directory.models import Institution


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, help_text=_("What the token is for, e.g. “APN Moodle”."))
    scope = forms.ChoiceField(label=_("Scope"), choices=ApiToken.Scope.choices, initial=ApiToken.Scope.READ)
    expires_on = forms.DateField(
        label=_("Expires on"), required=False, widget=forms.DateInput(attrs={"type": "date"}), help_text=_("Optional.")
    )

    def clean_expires_on(self) -> Any:
        day = self.cleaned_data.get("expires_on")
        if day and day <= timezone.localdate():
            raise forms.ValidationError(_("Choose a date in the future."))
        return day


class SubscriptionForm(forms.Form):
    institution = forms.ModelChoiceField(label=_("Institution"), queryset=Institution.objects.none())
    url = forms.URLField(label=_("Endpoint URL"), max_length=500, assume_scheme="https")
    events = forms.MultipleChoiceField(
        label=_("Events"), choices=[(e, e) for e in EVENTS], widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, institutions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institutions  # type: ignore[attr-defined]  # self.fields types each field as forms.Field

    def clean_url(self) -> str:
        url = str(self.cleaned_data["url"])
        try:
            check_url(url)
        except UnsafeURL as error:
            raise forms.ValidationError(str(error)) from error
        return url
