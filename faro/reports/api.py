"""Report figures: the same numbers as the web reports, scoped the same way.

Staff see every programme (or, with `partner` / `state`, one partner's or one member state's
report); a partner coordinator their programmes; a focal point their state; anyone else 404.
Only staff receive exact small numbers (`audience.sees_exact_figures`); for the others a figure
describing fewer than 5 people comes with `value: null` and `suppressed: true`.
`reports/impact/` is public: the impact page's figures, with the same small-number suppression.
"""

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from faro.api.permissions import PUBLIC, SIGNED_IN
from faro.api.serializers import IdField, query_params
from faro.reports.audience import audience_for, sees_exact_figures
from faro.reports.figures import FIGURES, figures_for, values_for
from faro.reports.periods import Period, calendar_year
from faro.reports.public import public_report, public_year, published_years
from faro.reports.wording import public_value


class ReportFilter(serializers.Serializer[dict[str, Any]]):
    year = serializers.IntegerField(required=False, min_value=1990, max_value=2100, help_text="Default: this year")
    start = serializers.DateField(required=False, help_text="First day of a custom period (with `end`)")
    end = serializers.DateField(required=False, help_text="Last day of a custom period (with `start`)")
    partner = IdField(required=False, help_text="Staff: one partner institution's report")
    state = serializers.CharField(required=False, max_length=2, help_text="Staff: one member state's report (code)")

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        if ("start" in data) != ("end" in data):
            raise serializers.ValidationError({"end" if "start" in data else "start": [_("Give both start and end.")]})
        if "start" in data and "year" in data:
            raise serializers.ValidationError({"year": [_("Give either a year or start and end, not both.")]})
        if "start" in data and data["end"] < data["start"]:
            raise serializers.ValidationError({"end": [_("The period ends before it starts.")]})
        return data


class PeriodSerializer(serializers.Serializer[dict[str, Any]]):
    start = serializers.DateField()
    end = serializers.DateField()
    label = serializers.CharField()  # type: ignore[assignment]  # a field named like Field.label


class FigureSerializer(serializers.Serializer[dict[str, Any]]):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a field named like Field.label
    definition = serializers.CharField()
    programme = serializers.CharField()
    kind = serializers.CharField(help_text="count, share (from 0 to 1) or average")
    value = serializers.FloatField(
        allow_null=True, help_text="None when there is nothing to divide, or when suppressed (see `suppressed`)"
    )
    suppressed = serializers.BooleanField(
        help_text="True when the figure would describe fewer than 5 people: only staff receive exact small numbers"
    )


class ReportSerializer(serializers.Serializer[dict[str, Any]]):
    period = PeriodSerializer()
    figures = FigureSerializer(many=True)


def _period(params: dict[str, Any]) -> Period:
    if "start" in params:
        start, end = params["start"], params["end"]
        return Period(start, end, f"{start:%Y-%m-%d} – {end:%Y-%m-%d}")
    return calendar_year(params.get("year") or timezone.localdate().year)


@extend_schema(parameters=[ReportFilter], responses={200: ReportSerializer})
class ReportFigures(generics.GenericAPIView[Any]):  # answers computed figures, not one model's rows
    """Every figure of the period the caller may see, computed from the records."""

    serializer_class = ReportSerializer
    permission_classes = SIGNED_IN
    pagination_class = None

    def get(self, request: Request) -> Response:
        params = query_params(request, ReportFilter)
        period = _period(params)
        if "partner" in params or "state" in params:
            partner = str(params["partner"]) if "partner" in params else None
            values = values_for(period, audience_for(request.user, partner=partner, state=params.get("state")))
        else:
            values = figures_for(period, request.user)
        exact = sees_exact_figures(request.user)
        figures = [_figure(key, value, values, exact=exact) for key, value in values.items()]
        body = {"period": {"start": period.start, "end": period.end, "label": period.label}, "figures": figures}
        return Response(ReportSerializer(body).data)


def _figure(key: str, value: Any, values: dict[str, Any], *, exact: bool) -> dict[str, Any]:
    figure = FIGURES[key]
    suppressed = not exact and public_value(key, value, values).suppressed
    return {
        "suppressed": suppressed,
        "key": key,
        "label": str(figure.label),
        "definition": str(figure.definition),
        "programme": str(figure.programme),
        "kind": figure.kind,
        "value": None if suppressed else value,
    }


class ImpactFilter(serializers.Serializer[dict[str, Any]]):
    year = serializers.IntegerField(
        required=False, min_value=1990, max_value=2100, help_text="A published year (default: the latest)"
    )


class ShownFigureSerializer(serializers.Serializer[dict[str, Any]]):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a field named like Field.label
    text = serializers.CharField(help_text="The value as the impact page shows it (“fewer than 5” when suppressed)")
    suppressed = serializers.BooleanField()


class TableSerializer(serializers.Serializer[dict[str, Any]]):
    dimension = serializers.CharField()
    rows = serializers.ListField(child=serializers.ListField(child=serializers.CharField(), min_length=2))


class ImpactSerializer(serializers.Serializer[dict[str, Any]]):
    year = serializers.IntegerField()
    years = serializers.ListField(child=serializers.IntegerField(), help_text="The published years")
    headline = serializers.CharField(allow_blank=True)
    figures = ShownFigureSerializer(many=True)
    tables = TableSerializer(many=True)


@extend_schema(parameters=[ImpactFilter], responses={200: ImpactSerializer})
class ImpactFigures(generics.GenericAPIView[Any]):  # answers computed figures, not one model's rows
    """Public: the impact page's figures for a published year, suppressed by the same rule."""

    serializer_class = ImpactSerializer
    permission_classes = PUBLIC
    pagination_class = None

    def get(self, request: Request) -> Response:
        params = query_params(request, ImpactFilter)
        report = public_report(public_year(params.get("year")))
        body = {
            "year": report.year,
            "years": published_years(),
            "headline": report.headline,
            "figures": [vars(shown) for shown in report.shown],
            "tables": [{"dimension": label, "rows": rows} for label, rows in report.tables],
        }
        return Response(ImpactSerializer(body).data)
