"""Forms for calls, applications, endorsement, review and allocation overrides."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from faro.accounts.models import User
from faro.courses.models import Offering
from faro.directory.models import Institution, Person
from faro.lib.collation import collate_choices, collated, language_choices
from faro.lib.uploads import UploadField
from faro.scholarships.models import Application, Call, Outcome
from faro.scholarships.services.base import DOCUMENT_KINDS

CHOICE_LABELS = [_("First choice"), _("Second choice"), _("Third choice"), _("Fourth choice")]


class CallForm(forms.ModelForm[Call]):
    institution_kinds = forms.MultipleChoiceField(
        label=_("eligible institution kinds"),
        choices=collated(Institution.Kind.choices),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: any."),
    )
    position_levels = forms.MultipleChoiceField(
        label=_("eligible position levels"),
        choices=Person.Level.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: any."),
    )
    languages = forms.MultipleChoiceField(
        label=_("languages of the call"),
        choices=language_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    required_documents = forms.MultipleChoiceField(
        label=_("required documents"),
        choices=collated(Call.Document.choices),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The language certificate is asked for only when a course's language is not the applicant's."),
    )

    class Meta:
        model = Call
        fields = [
            "title",
            "description",
            "year",
            "offerings",
            "eligible_states",
            "eligible_regions",
            "institution_kinds",
            "position_levels",
            "languages",
            "required_documents",
            "requires_endorsement",
            "country_cap",
            "country_cap_total",
            "reviews_per_application",
            "aggregation",
            "opens_at",
            "closes_at",
            "endorsement_deadline",
            "results_on",
            "offer_days",
            "accept_by",
            "start",
            "end",
        ]
        widgets = {
            **{
                name: forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
                for name in ("opens_at", "closes_at", "endorsement_deadline", "accept_by")
            },
            **{
                name: forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
                for name in ("results_on", "start", "end")
            },
        }

    def __init__(self, *args: Any, offerings: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if offerings is not None:
            self.fields["offerings"].queryset = offerings  # type: ignore[attr-defined]  # self.fields types each field as forms.Field
        regions = self.fields["eligible_regions"]
        regions.queryset = regions.queryset.select_related("scheme")  # type: ignore[attr-defined]  # a ModelMultipleChoiceField
        # Two schemes both have a "Caribbean": name the scheme, then file by it.
        regions.label_from_instance = lambda region: f"{region.scheme} — {region}"  # type: ignore[attr-defined]  # a ModelMultipleChoiceField
        for name in ("eligible_states", "eligible_regions"):
            collate_choices(self.fields[name])  # type: ignore[arg-type]  # a ModelMultipleChoiceField

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("The call must close after it opens."))
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The end is before the start."))
        return data


class ApplicationForm(forms.Form):
    motivation = forms.CharField(label=_("Motivation"), widget=forms.Textarea(attrs={"rows": 6}), required=False)
    spoken_languages = forms.MultipleChoiceField(
        label=_("Languages I work in"), choices=language_choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, offerings: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.offerings = list(offerings)
        choices = [("", "—")] + [(str(o.pk), str(o)) for o in self.offerings]
        for index in range(min(len(self.offerings), len(CHOICE_LABELS))):
            self.fields[f"choice_{index + 1}"] = forms.ChoiceField(
                label=CHOICE_LABELS[index], choices=choices, required=False
            )

    def ranked_offerings(self) -> list[Offering]:
        by_id = {str(o.pk): o for o in self.offerings}
        picked = [self.cleaned_data.get(name) for name in self.fields if name.startswith("choice_")]
        return [by_id[pk] for pk in picked if pk]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        picked = [data.get(name) for name in self.fields if name.startswith("choice_") and data.get(name)]
        if len(picked) != len(set(picked)):
            raise forms.ValidationError(_("Choose each offering only once."))
        return data


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Document"), choices=collated(Call.Document.choices))
    file = UploadField(label=_("File"), help_text=_("PDF, PNG or JPEG."), allowed=DOCUMENT_KINDS)


class EndorseForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("endorse", _("Endorse")), ("decline", _("Do not endorse"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    # The decision shown when the page was rendered: a colleague's decision in between is not overwritten.
    seen = forms.ChoiceField(choices=Application.Endorsement.choices, required=False, widget=forms.HiddenInput)


class RankForm(forms.Form):
    """One rank input per endorsed application."""

    def __init__(self, *args: Any, applications: list[Application], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.applications = applications
        for index, application in enumerate(applications, start=1):
            self.fields[f"rank_{application.pk}"] = forms.IntegerField(
                label=str(application.person),
                min_value=1,
                max_value=len(applications),
                initial=application.endorsement_rank or index,
            )

    def order(self) -> list[int]:
        ranks = {a.pk: self.cleaned_data[f"rank_{a.pk}"] for a in self.applications}
        return sorted(ranks, key=lambda pk: (ranks[pk], pk))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        values = [v for k, v in data.items() if k.startswith("rank_")]
        if len(values) != len(set(values)):
            raise forms.ValidationError(_("Give each application a different rank."))
        return data


class ReviewForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, call: Call, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for criterion in call.criteria.all():
            self.fields[f"c{criterion.pk}"] = forms.DecimalField(
                label=f"{criterion.name} (×{criterion.weight.normalize()})",
                min_value=0,
                max_value=criterion.max_score,
                decimal_places=1,
                widget=forms.NumberInput(attrs={"step": "0.1", "inputmode": "decimal"}),
                help_text=_("From 0 to %(max)s; one decimal is allowed (for example 7.5).")
                % {"max": criterion.max_score},
            )

    def scores(self) -> dict[str, Any]:
        return {
            name[1:]: value for name, value in self.cleaned_data.items() if name.startswith("c") and name[1:].isdigit()
        }


class AssignReviewerForm(forms.Form):
    reviewer: "forms.ModelChoiceField[User]" = forms.ModelChoiceField(label=_("Reviewer"), queryset=None)

    def __init__(self, *args: Any, reviewers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = reviewers  # type: ignore[attr-defined]  # self.fields types each field as forms.Field


class OverrideForm(forms.Form):
    result = forms.ChoiceField(label=_("Outcome"), choices=Outcome.Result.choices)
    offering = forms.ModelChoiceField(label=_("Offering"), queryset=Offering.objects.none(), required=False)
    reason = forms.CharField(label=_("Reason for the change"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, offerings: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["offering"].queryset = offerings  # type: ignore[attr-defined]  # self.fields types each field as forms.Field
