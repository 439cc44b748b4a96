"""Reporting periods: a calendar year, a Plan of Action's years, or a custom range."""

import datetime
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from faro.directory.models import PlanOfAction


@dataclass(frozen=True)
class Period:
    """Inclusive dates; `bounds()` gives the half-open UTC datetime range for timestamps."""

    start: datetime.date
    end: datetime.date
    label: str

    def bounds(self) -> tuple[datetime.datetime, datetime.datetime]:
        first = datetime.datetime.combine(self.start, datetime.time.min, tzinfo=datetime.UTC)
        after = datetime.datetime.combine(self.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=datetime.UTC)
        return first, after

    @property
    def query(self) -> str:
        """The GET parameters that select this period again (for links and downloads)."""
        return f"kind=custom&start={self.start.isoformat()}&end={self.end.isoformat()}"


def calendar_year(year: int) -> Period:
    return Period(datetime.date(year, 1, 1), datetime.date(year, 12, 31), str(year))


def plan_period(plan: PlanOfAction) -> Period:
    return Period(datetime.date(plan.start_year, 1, 1), datetime.date(plan.end_year, 12, 31), str(plan))


class PeriodForm(forms.Form):
    """Reads ?kind=year&year=2020, ?kind=plan&plan=3 or ?kind=custom&start=…&end=…"""

    KINDS = [("year", _("Calendar year")), ("plan", _("Plan of Action")), ("custom", _("Custom range"))]

    kind = forms.ChoiceField(label=_("Period"), choices=KINDS, initial="year")
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100, required=False)
    plan = forms.ModelChoiceField(label=_("Plan of Action"), queryset=PlanOfAction.objects.all(), required=False)
    start = forms.DateField(
        label=pgettext_lazy("period", "From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=pgettext_lazy("period", "Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind == "year" and not data.get("year"):
            self.add_error("year", _("Choose a year."))
        if kind == "plan" and not data.get("plan"):
            self.add_error("plan", _("Choose a Plan of Action."))
        if kind == "custom":
            if not data.get("start") or not data.get("end"):
                self.add_error("end", _("Give both the first and the last day."))
            elif data["end"] < data["start"]:
                self.add_error("end", _("The period ends before it starts."))
        return data

    def period(self) -> Period:
        data = self.cleaned_data
        if data["kind"] == "plan":
            return plan_period(data["plan"])
        if data["kind"] == "custom":
            return Period(data["start"], data["end"], f"{data['start']:%Y-%m-%d} – {data['end']:%Y-%m-%d}")
        return calendar_year(data["year"])


def period_from_request(params: dict[str, Any]) -> tuple[PeriodForm, Period | None]:
    """The bound form and its period, or None when the input is invalid. Default: this year."""
    data = params if params.get("kind") else {"kind": "year", "year": timezone.localdate().year}
    form = PeriodForm(data)
    return form, form.period() if form.is_valid() else None
