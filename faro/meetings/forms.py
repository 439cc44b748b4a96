"""Forms for meetings. They validate input; the services do the writing."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from faro.core.fields import TranslatedFormField
from faro.directory.models import Institution, Person
from faro.lib.collation import collate_choices, collate_field, language_choices
from faro.lib.uploads import UploadField
from faro.meetings.models import Document, Meeting, Participant, SessionRole
from faro.meetings.services import CREDENTIAL_KINDS, DOCUMENT_KINDS


class DateInput(forms.DateInput):
    input_type = "date"


class TimeInput(forms.TimeInput):
    input_type = "time"


class MeetingForm(forms.ModelForm[Meeting]):
    languages = forms.MultipleChoiceField(
        label=_("languages"), choices=language_choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    online_link = forms.URLField(
        label=_("Online link"),
        required=False,
        assume_scheme="https",
        help_text=_("Shown only to registered participants and staff."),
    )

    class Meta:
        model = Meeting
        fields = [*Meeting.DETAIL_FIELDS, "priority_areas"]
        widgets = {"start_date": DateInput(), "end_date": DateInput(), "priority_areas": forms.CheckboxSelectMultiple}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("kind", "mode"):
            collate_field(self.fields[name])
        collate_choices(self.fields["priority_areas"])  # type: ignore[arg-type]  # a ModelMultipleChoiceField

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The last day cannot be before the first day."))
        return data


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=Meeting.Status.choices)
    note = TranslatedFormField(label=_("Note for those registered"), multiline=True, required=False)


class ParticipantForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    email = forms.EmailField(label=_("Email"), required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Participant.Role.choices)
    position = forms.CharField(label=_("Position"), max_length=200, required=False)
    preferred_language = forms.ChoiceField(label=_("Preferred language"), choices=language_choices)
    travel_funded = forms.BooleanField(label=_("Funded travel"), required=False)
    fare = forms.DecimalField(label=_("Air fare (USD)"), required=False, min_value=0, max_digits=9, decimal_places=2)
    per_diem = forms.DecimalField(
        label=_("Per diem (USD)"), required=False, min_value=0, max_digits=9, decimal_places=2
    )
    paid_by = forms.CharField(label=_("Paid by"), max_length=200, required=False)

    def __init__(self, *args: Any, observer: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        roles = [(value, label) for value, label in Participant.Role.choices if (value == "observer") == observer]
        self.fields["role"].choices = roles  # type: ignore[attr-defined]  # self.fields types each field as forms.Field

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("travel_funded") and not data.get("paid_by"):
            self.add_error("paid_by", _("Say who pays for the funded travel."))
        return data


class CredentialsForm(forms.Form):
    credentials = UploadField(label=_("Credentials letter (PDF or image)"), allowed=CREDENTIAL_KINDS)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accredit", _("Accredit")), ("corrections", _("Ask for corrections"))],
        widget=forms.RadioSelect,
    )
    message = forms.CharField(
        label=_("Message to the focal point"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "corrections" and not (data.get("message") or "").strip():
            self.add_error("message", _("Say what needs correcting."))
        return data


class ObserverForm(forms.Form):
    institution = forms.ModelChoiceField(label=_("Institution"), queryset=Institution.objects.all())


class SessionForm(forms.Form):
    title = TranslatedFormField(label=_("Title"))
    day = forms.DateField(label=_("Day"), widget=DateInput())
    start = forms.TimeField(label=_("Starts (venue time)"), widget=TimeInput(format="%H:%M"))
    end = forms.TimeField(label=_("Ends (venue time)"), widget=TimeInput(format="%H:%M"))
    room = forms.CharField(label=_("Room"), max_length=100, required=False)


class SessionRoleForm(forms.Form):
    """A chair or speaker: one of the meeting's participants, or a guest by name."""

    role = forms.ChoiceField(label=_("Role"), choices=SessionRole.Role.choices, initial=SessionRole.Role.SPEAKER)
    person = forms.ModelChoiceField(label=_("Participant"), queryset=Person.objects.none(), required=False)
    name = forms.CharField(label=_("Or a guest who is not a participant"), max_length=200, required=False)

    def __init__(self, *args: Any, people: QuerySet[Person] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if people is not None:
            self.fields["person"].queryset = people  # type: ignore[attr-defined]  # self.fields types each field as forms.Field

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("person") and data.get("name"):
            raise forms.ValidationError(_("Choose a participant or type a guest's name, not both."))
        if not data.get("person") and not data.get("name") and not self.has_error("person"):
            raise forms.ValidationError(_("Choose a participant or type a guest's name."))
        return data


SessionRoleFormSet = forms.formset_factory(SessionRoleForm, extra=4, can_delete=True)


def formset_rows(formset: forms.BaseFormSet[forms.BaseForm]) -> list[dict[str, Any]]:
    """The filled-in, not deleted rows of a valid formset, as plain dicts.

    Untouched blank rows have no cleaned data; rows shown with initial data count even unchanged.
    """
    return [
        {k: v for k, v in form.cleaned_data.items() if k != "DELETE"}
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


class DocumentForm(forms.Form):
    title = TranslatedFormField(label=_("Title"))
    visibility = forms.ChoiceField(label=_("Visibility"), choices=Document.Visibility.choices)
    language = forms.ChoiceField(label=_("Language of the file"), choices=language_choices)
    file = UploadField(label=_("File (PDF, Word or Excel)"), allowed=DOCUMENT_KINDS)


class DocumentFileForm(forms.Form):
    language = forms.ChoiceField(label=_("Language of the file"), choices=language_choices)
    file = UploadField(label=_("File (PDF, Word or Excel)"), allowed=DOCUMENT_KINDS)


class CheckInForm(forms.Form):
    code = forms.CharField(label=_("Badge code"), max_length=200, required=False)
    participant = forms.IntegerField(required=False, widget=forms.HiddenInput)
    day = forms.DateField(label=_("Day"), widget=DateInput())
    session = forms.IntegerField(label=_("Session"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("code") or "").strip() and not data.get("participant"):
            raise forms.ValidationError(_("Scan a badge, type its code or search by name."))
        return data
