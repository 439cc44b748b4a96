"""Forms for webinars: staff editing (with speakers and questions), public registration, upload, survey."""

from typing import Any, cast

from django import forms
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from faro.core.fields import TranslatedFormField
from faro.core.imports import size_limit_text
from faro.directory.models import Institution, MemberState, Topic
from faro.lib.collation import CollatedModelMultipleChoiceField, collate_choices, collate_field, language_choices
from faro.lib.prepared import Prepared, PreparedModelChoiceField
from faro.webinars.models import Question, Registration, Speaker, SurveyResponse, Webinar


def _formfield(field: models.Field[Any, Any], **kwargs: Any) -> forms.Field | None:
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    formfield = field.formfield(**kwargs)
    if isinstance(formfield, forms.ModelChoiceField):  # priority areas, partners: in the reader's order
        collate_choices(formfield)
    elif field.name == "language" and isinstance(formfield, forms.ChoiceField):
        formfield.choices = language_choices
    return formfield


DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class WebinarForm(forms.ModelForm[Webinar]):
    interpretation_languages = forms.MultipleChoiceField(
        label=_("Interpretation into"), choices=language_choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    topics = CollatedModelMultipleChoiceField(
        label=_("Topics"),
        queryset=Topic.objects.select_related("priority_area__plan"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    partners = CollatedModelMultipleChoiceField(
        label=_("Co-organising partners"), queryset=Institution.objects.all(), required=False
    )

    class Meta:
        model = Webinar
        fields = [
            "title",
            "description",
            "priority_area",
            "topics",
            "partners",
            "language",
            "interpretation_languages",
            "starts_at",
            "ends_at",
            "capacity",
            "platform",
            "join_url",
            "recording_url",
            "materials_url",
            "attended_rule",
            "attended_threshold",
        ]
        formfield_callback = _formfield
        widgets = {"starts_at": DATETIME_INPUT, "ends_at": DATETIME_INPUT}
        help_texts = {
            "starts_at": _("In your time zone."),
            "join_url": _("Shown only to confirmed registrants and in their mails."),
            "recording_url": _("Shown once the webinar has been held."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        collate_field(self.fields["platform"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The webinar must end after it starts."))
        if data.get("attended_rule") == Webinar.AttendedRule.SHARE and (data.get("attended_threshold") or 0) > 100:
            self.add_error("attended_threshold", _("A share of the duration cannot exceed 100%."))
        return data


class SpeakerForm(forms.ModelForm[Speaker]):
    class Meta:
        model = Speaker
        fields = ["name", "role", "gender", "institution", "country_code"]

    def clean_country_code(self) -> str:
        return (self.cleaned_data.get("country_code") or "").upper()


class QuestionForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    label = TranslatedFormField(label=_("Question"), max_length=300)
    required = forms.BooleanField(label=_("Required"), required=False)


SpeakerFormSet = forms.formset_factory(SpeakerForm, extra=2, can_delete=True)
QuestionFormSet = forms.formset_factory(QuestionForm, extra=1, can_delete=True)


def formset_rows(formset: forms.BaseFormSet[forms.BaseForm]) -> list[dict[str, Any]]:
    """The kept rows of a valid formset, as plain dicts: every existing row not marked for deletion
    (changed or not) and every extra row that was filled in."""
    existing = set(formset.initial_forms)
    return [
        {k: v for k, v in form.cleaned_data.items() if k != "DELETE" and not (k == "id" and v is None)}
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE") and (form in existing or form.has_changed())
    ]


# The public form's lookups, compiled once: the crowd's request makes them on every submission.
# Ordered here: the default ordering starts with the webinar, which would join its table.
QUESTIONS_OF_WEBINAR = Prepared(lambda webinar: Question.objects.filter(webinar_id=webinar).order_by("order", "pk"), 0)


class RegistrationForm(forms.Form):
    email = forms.EmailField(label=_("Email"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    first_name = forms.CharField(
        label=_("First name"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        label=_("Last name"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )
    member_state = PreparedModelChoiceField(label=_("Member state"), queryset=MemberState.objects.all())
    position = forms.CharField(label=_("Position"), max_length=200, required=False)
    language = forms.ChoiceField(label=_("Language for our messages"), choices=language_choices)
    consent = forms.BooleanField(
        label=_(
            "I agree that the CIP Secretariat keeps these details to run this webinar and issue "
            "certificates, as the privacy notice explains."
        ),
    )

    def __init__(self, *args: Any, webinar: Webinar, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = QUESTIONS_OF_WEBINAR.all(webinar.pk)
        for question in self.questions:
            self.fields[f"q_{question.pk}"] = forms.CharField(
                label=str(question.label),
                required=question.required,
                max_length=1000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def answers(self) -> dict[str, str]:
        return {str(q.pk): self.cleaned_data.get(f"q_{q.pk}", "") for q in self.questions}


class AttendanceUploadForm(forms.Form):
    file = forms.FileField(label=_("Attendance file"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kinds = _(
            "The file Zoom (webinar attendee report or meeting participants) or Microsoft Teams "
            "(attendance report) produces, unchanged."
        )
        self.fields["file"].help_text = f"{kinds} {size_limit_text()}"

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > settings.FARO_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is too large. %(limit)s") % {"limit": size_limit_text()})
        return upload


RATING_CHOICES = [(str(n), str(n)) for n in range(1, 6)]


class SurveyForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in SurveyResponse.RATINGS:
            self.fields[name] = forms.TypedChoiceField(
                label=SurveyResponse.rating_label(name), choices=RATING_CHOICES, coerce=int, widget=forms.RadioSelect
            )
        self.order_fields([*SurveyResponse.RATINGS, "comment"])


def _member_state_choices() -> list[tuple[str, Any]]:
    return [("", _("Any")), *[(s.code, s.name) for s in MemberState.objects.all()]]


class RegistrantFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any")), *Registration.Status.choices], required=False
    )
    member_state = forms.ChoiceField(label=_("Member state"), required=False)
    q = forms.CharField(label=_("Name or email"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A callable: read when the select is rendered or a value checked (the list keeps it, faro.core.choices)
        cast(forms.ChoiceField, self.fields["member_state"]).choices = _member_state_choices
