"""Forms for the catalogue and the completion import."""

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from faro.core.imports import size_limit_text
from faro.courses.importers import NO_OUTCOME_CHOICES
from faro.courses.models import Course, Offering, PartnerContribution
from faro.lib.collation import collate_choices, collate_field, language_choices
from faro.lib.text import fold


class CourseForm(forms.ModelForm[Course]):
    languages = forms.MultipleChoiceField(
        label=_("languages"), choices=language_choices, widget=forms.CheckboxSelectMultiple
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
            self.fields["provider"].queryset = providers  # type: ignore[attr-defined]  # self.fields types each field as forms.Field
        collate_choices(self.fields["priority_area"])  # type: ignore[arg-type]  # a ModelChoiceField, typed as forms.Field
        collate_field(self.fields["modality"])
        collate_choices(self.fields["topics"])  # type: ignore[arg-type]  # a ModelMultipleChoiceField


class OfferingForm(forms.ModelForm[Offering]):
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


class ContributionForm(forms.ModelForm[PartnerContribution]):
    class Meta:
        model = PartnerContribution
        fields = ["institution", "kind", "amount", "currency", "places_funded"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        collate_field(self.fields["kind"])


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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = f"{self.fields['file'].help_text} {size_limit_text()}"

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > settings.FARO_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is too large. %(limit)s") % {"limit": size_limit_text()})
        return upload

    def clean_no_outcome(self) -> str:
        return self.cleaned_data.get("no_outcome") or "keep"


class ResultsCommitForm(forms.Form):
    skip_errors = forms.BooleanField(label=_("Leave out the lines in error and import the rest"), required=False)
    confirmed = forms.BooleanField(label=_("Yes, change these recorded outcomes"), required=False)


class CourseSearchForm(forms.Form):
    """The public catalogue's search: words in the title or description (any language), area, language."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    area = forms.ChoiceField(label=_("Priority area"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)

    def __init__(self, *args: Any, areas: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        any_choice = [("", _("Any"))]
        self.fields["area"].choices = any_choice + areas  # type: ignore[attr-defined]  # self.fields types each field as forms.Field
        self.fields["language"].choices = any_choice + language_choices()  # type: ignore[attr-defined]  # self.fields types each field as forms.Field

    def matches(self, course: Course) -> bool:
        data = self.cleaned_data if self.is_valid() else {}
        words = fold(data.get("q", "")).split()
        if words:
            text = fold(" ".join([*course.title.values(), *course.description.values()]))
            if not all(word in text for word in words):
                return False
        if data.get("area") and str(course.priority_area_id) != data["area"]:
            return False
        return not data.get("language") or data["language"] in course.languages
