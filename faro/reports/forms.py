"""The report pages' GET forms: which breakdown, whose report, which language."""

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from faro.courses.models import Course
from faro.directory.models import Institution, MemberState
from faro.lib.collation import language_choices
from faro.reports.dimensions import DIMENSIONS
from faro.reports.figures import available_figures
from faro.webinars.models import Webinar

DEFAULT_FIGURE = "people_reached"


class BreakdownForm(forms.Form):
    """?figure=webinar_unique_attendees&dimension=gender — one breakdown at a time."""

    figure = forms.ChoiceField(label=_("Figure"), required=False)
    dimension = forms.ChoiceField(label=_("Broken down by"), required=False)

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        if data is not None:  # unchosen selects show the defaults, which is what the page reports
            data = {
                "figure": data.get("figure") or DEFAULT_FIGURE,
                "dimension": data.get("dimension") or "member_state",
            }
        super().__init__(data, **kwargs)
        self.fields["figure"].choices = [(f.key, f.label) for f in available_figures() if f.breakable]  # type: ignore[attr-defined]  # self.fields types each field as forms.Field
        self.fields["dimension"].choices = [(d.key, d.label) for d in DIMENSIONS.values()]  # type: ignore[attr-defined]  # self.fields types each field as forms.Field

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["figure"] = data.get("figure") or DEFAULT_FIGURE
        data["dimension"] = data.get("dimension") or "member_state"
        return data


def partner_institutions() -> QuerySet[Institution]:
    """Strategic partners and every institution that provides a course or co-organises a webinar."""
    chosen = Q(pk__in=Institution.objects.partners().values("pk"))
    chosen |= Q(pk__in=Course.objects.values("provider")) | Q(pk__in=Webinar.objects.values("partners"))
    return Institution.objects.filter(chosen)  # in collation order of names


class AudienceForm(forms.Form):
    """Staff choose whose report to read: everything, one partner's, or one member state's."""

    partner = forms.ModelChoiceField(label=_("Partner"), queryset=Institution.objects.none(), required=False)
    state = forms.ModelChoiceField(
        label=_("Member state"), queryset=MemberState.objects.all(), to_field_name="code", required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partner_institutions()  # type: ignore[attr-defined]  # self.fields types each field as forms.Field
        self.fields["partner"].empty_label = _("All partners")  # type: ignore[attr-defined]  # self.fields types each field as forms.Field
        self.fields["state"].empty_label = _("All member states")  # type: ignore[attr-defined]  # self.fields types each field as forms.Field


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language of the report"), choices=language_choices, required=False)


class YearForm(forms.Form):
    """Staff publish a year on the public impact page, or take it back."""

    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100)
    action = forms.ChoiceField(label=_("Action"), choices=[("publish", _("Publish")), ("unpublish", _("Take back"))])
