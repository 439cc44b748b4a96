"""Report pages: the dashboard (staff, partners, focal points), the annual report files and the
public impact page. Every number comes from `faro.reports.figures`."""

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from faro.accounts.decorators import staff_required
from faro.accounts.models import User
from faro.accounts.scope import scope_for
from faro.core.choices import keep_choices
from faro.core.models import AuditEntry
from faro.core.pagination import paginate
from faro.lib.xlsx import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, csv_text
from faro.reports import audit, exports, services
from faro.reports.audience import Audience, audience_for, sees_exact_figures
from faro.reports.audit import AuditFilterForm
from faro.reports.charts import bar_chart, legend, reach_map
from faro.reports.dashboard import dashboard_figures
from faro.reports.dimensions import DIMENSIONS
from faro.reports.figures import FIGURES, available_figures
from faro.reports.forms import AudienceForm, BreakdownForm, LanguageForm, YearForm
from faro.reports.models import PublishedYear
from faro.reports.periods import Period, period_from_request
from faro.reports.public import default_year, public_report, public_workbook, public_year, published_years
from faro.reports.wording import format_value, headline, is_empty, public_headline, public_value

PROGRAMMES = ["scholarships", "courses", "webinars", "meetings", "certificates", "all"]


def _audience(request: HttpRequest) -> Audience:
    return audience_for(request.user, partner=request.GET.get("partner"), state=request.GET.get("state"))


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Headline figures for a period, one breakdown (bar chart + table) and the map of reach."""
    audience = _audience(request)
    form, period = period_from_request(request.GET)
    choice = BreakdownForm(request.GET)
    choice.is_valid()
    keep_choices(form.fields["plan"], "reports:period:plan")
    context: dict[str, Any] = {
        "form": form,
        "choice": choice,
        "audience": audience,
        "audience_form": _audience_form(request) if scope_for(request.user).is_staff else None,
        "language_form": LanguageForm(initial={"language": translation.get_language()}),
    }
    if period is not None:
        figure, dimension = choice.cleaned_data["figure"], choice.cleaned_data["dimension"]
        context |= _report(period, audience, figure, dimension, exact=sees_exact_figures(request.user))
    return render(request, "reports/dashboard.html", context)


def _audience_form(request: HttpRequest) -> AudienceForm:
    form = AudienceForm(request.GET)
    keep_choices(form.fields["partner"], "reports:audience:partner")
    keep_choices(form.fields["state"], "reports:audience:state")
    return form


def _report(period: Period, audience: Audience, key: str, dimension: str, *, exact: bool) -> dict[str, Any]:
    """The dashboard's figures, breakdown and map; small numbers suppressed unless `exact`."""
    found = dashboard_figures(period, audience, key, dimension, exact=exact)
    values, rows, reach_rows = found.values, found.rows, found.reach_rows
    figure = FIGURES[key]
    shades = {row.key: row.value for row in reach_rows if row.key}
    title = _("%(figure)s by %(dimension)s") % {"figure": figure.label, "dimension": DIMENSIONS[dimension].label}

    def text(f: Any) -> str:
        return format_value(f, values[f.key]) if exact else public_value(f.key, values[f.key], values).text

    # (label, key, text, definition) as strings: the template loops over them without lookups
    shown = [(f.programme, (str(f.label), f.key, text(f), str(f.definition))) for f in available_figures()]
    groups = [(p, [item for programme, item in shown if programme == p]) for p in PROGRAMMES]
    return {
        "period": period,
        "values": values,
        "groups": [(p, items) for p, items in groups if items],
        "headline": headline(values) if exact else public_headline(values),
        "empty": is_empty(values),
        "figure": figure,
        "dimension": DIMENSIONS[dimension],
        "applies": dimension in figure.dimensions(),
        "rows": rows,
        "chart_title": title,
        "chart": bar_chart([(r.label, r.value) for r in rows], title=title, chart_id="breakdown"),
        "map": reach_map(
            shades, title=_("People reached by member state"), unshown="" if exact else _("none or counted with others")
        ),
        "legend": legend(max(shades.values(), default=0)),
        "reach_rows": reach_rows,
        "cells": found.cells,
        "reach_cells": found.reach_cells,
        "query": "&".join(q for q in [period.query, audience.query] if q),
    }


def _download(request: HttpRequest, suffix: str) -> tuple[Period | None, Audience, str, str]:
    audience = _audience(request)
    _form, period = period_from_request(request.GET)
    language = LanguageForm(request.GET)
    code = (language.is_valid() and language.cleaned_data["language"]) or translation.get_language() or "en"
    name = f"faro-report-{period.label if period else 'invalid'}.{suffix}".replace(" ", "")
    return period, audience, code, name


@login_required
def export_xlsx(request: HttpRequest) -> HttpResponse:
    """The report of the chosen period as a workbook, one sheet per breakdown."""
    period, audience, language, name = _download(request, "xlsx")
    if period is None:
        return HttpResponse(_("Choose a valid period."), status=400, content_type="text/plain; charset=utf-8")
    with translation.override(language):
        data = exports.xlsx_bytes(period, audience, exact=sees_exact_figures(request.user))
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def export_pdf(request: HttpRequest) -> HttpResponse:
    """The report of the chosen period as a printable PDF."""
    period, audience, language, name = _download(request, "pdf")
    if period is None:
        return HttpResponse(_("Choose a valid period."), status=400, content_type="text/plain; charset=utf-8")
    with translation.override(language):
        data = exports.pdf_bytes(period, audience, exact=sees_exact_figures(request.user))
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


def impact(request: HttpRequest) -> HttpResponse:
    """Public: a published year's aggregates; figures and cells under 5 people are suppressed."""
    report = public_report(public_year(request.GET.get("year")))
    context = {"report": report, "year": report.year, "years": published_years()}
    context["can_publish"] = scope_for(request.user).is_staff
    return render(request, "reports/impact.html", context)


def impact_xlsx(request: HttpRequest) -> HttpResponse:
    """Public: the impact page's year as a workbook, suppressed by the same rule."""
    report = public_report(public_year(request.GET.get("year")))
    response = HttpResponse(public_workbook(report), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="faro-impact-{report.year}.xlsx"'
    return response


@staff_required
def impact_years(request: HttpRequest) -> HttpResponse:
    """Staff choose which years the public impact page offers (it opens on the latest)."""
    form = YearForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        year, publish = form.cleaned_data["year"], form.cleaned_data["action"] == "publish"
        (services.publish_year if publish else services.unpublish_year)(year, acting_user=cast(User, request.user))
        messages.success(request, _("The impact page now offers: %(years)s.") % {"years": _years_text()})
        return redirect("reports:impact_years")
    published = set(PublishedYear.objects.values_list("year", flat=True))
    years = [(y, y in published) for y in range(timezone.localdate().year, 2015, -1)]
    history = AuditEntry.objects.filter(action__startswith="reports.year.").select_related("actor")[:50]
    context = {"years": years, "default": default_year(), "form": form, "history": history}
    return render(request, "reports/manage/impact_years.html", context)


def _years_text() -> str:
    return ", ".join(str(y) for y in published_years())


@staff_required
def audit_log(request: HttpRequest) -> HttpResponse:
    """Staff: every audited action, filtered by who, kind of record and period; `?format=csv` exports."""
    form = AuditFilterForm(request.GET or None)
    rows = audit.entries(form.cleaned_data if form.is_valid() else {})
    if request.GET.get("format") == "csv" and form.is_valid():
        return _audit_csv(rows)
    context = {"form": form, **paginate(request, rows)}
    return render(request, "reports/manage/audit.html", context)


def _audit_csv(rows: Any) -> HttpResponse:
    header = [_("When"), _("Who"), _("Action"), _("Kind of record"), pgettext("audit", "Record"), _("Changes")]
    lines = (
        [
            date_format(timezone.localtime(e.created_at), "DATETIME_FORMAT"),
            e.actor or "",
            e.action_label,
            audit.kind_label(e),
            e.object_repr,
            "; ".join(f"{c.label}: {c.before} → {c.after}" for c in e.readable_changes()),
        ]
        for e in rows[:20000]
    )
    response = HttpResponse(csv_text(header, lines).encode("utf-8"), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="faro-audit.csv"'
    return response
