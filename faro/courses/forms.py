"""Forms for the catalogue and the completion import."""

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from faro.courses.importers import NO_OUTCOME_CHOICES
from faro.courses.models import Course, Offering, PartnerContribution


class CourseForm(forms.ModelForm):
    languages = forms.MultipleChoiceField(
        label=_("languages"), choices=settings.LANGUAGES, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Course
        fields = [
            "title",
            "description",
            "provider",
            "priority_area",
            "topics",
            "modality",
            "languages",
            "hours",
            "certified",
            "minimum_grade",
            "requires_completion",
            "is_published",
        ]

    def __init__(self, *args: Any, providers: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if providers is not None:
            self.fields["provider"].queryset = providers  # type: ignore[attr-defined]


class OfferingForm(forms.ModelForm):
    lms_url = forms.URLField(label=_("link to the learning platform"), required=False, assume_scheme="https")

    class Meta:
        model = Offering
        fields = ["code", "start", "end", "seats", "tutor", "academic_coordinator", "lms_url"]
        widgets = {"start": forms.DateInput(attrs={"type": "date"}), "end": forms.DateInput(attrs={"type": "date"})}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The end is before the start."))
        return data


class ContributionForm(forms.ModelForm):
    class Meta:
        model = PartnerContribution
        fields = ["institution", "kind", "amount", "currency", "places_funded"]


class ResultsImportForm(forms.Form):
    file = forms.FileField(
        label=_("Results file"),
        help_text=_(
            "Moodle gradebook export (plain text, Excel or OpenDocument), Moodle course completion report, "
            "or a CSV with the columns email, grade, status."
        ),
    )
    no_outcome = forms.ChoiceField(
        label=_("People with neither a course total nor a completion date"),
        choices=NO_OUTCOME_CHOICES,
        initial="keep",
        required=False,
        widget=forms.RadioSelect,
    )

    def clean_no_outcome(self) -> str:
        return self.cleaned_data.get("no_outcome") or "keep"


class ResultsCommitForm(forms.Form):
    skip_errors = forms.BooleanField(label=_("Leave out the lines in error and import the rest"), required=False)
    confirmed = forms.BooleanField(label=_("Yes, change these recorded outcomes"), required=False)
