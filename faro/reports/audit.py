"""The site-wide audit page for staff: who did what, when, to what — filtered, paginated, exported."""

import datetime
from typing import Any

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from faro.accounts.models import User
from faro.core.models import AuditEntry


def _kinds() -> list[tuple[str, str]]:
    used = ContentType.objects.filter(pk__in=AuditEntry.objects.values("content_type").distinct())
    models = [(kind.pk, kind.model_class()) for kind in used]
    named = [(str(pk), capfirst(str(model._meta.verbose_name))) for pk, model in models if model is not None]
    return sorted(named, key=lambda pair: pair[1].casefold())


class AuditFilterForm(forms.Form):
    """?actor=…&kind=…&start=…&end=… — every field optional."""

    actor = forms.ModelChoiceField(label=_("Who"), queryset=User.objects.none(), required=False)
    kind = forms.ChoiceField(label=_("Kind of record"), required=False)
    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]  # a bound form over GET data
        acted = User.objects.filter(pk__in=AuditEntry.objects.values("actor")).order_by("email")
        self.fields["actor"].queryset = acted  # type: ignore[attr-defined]  # self.fields types each field as forms.Field
        self.fields["actor"].empty_label = _("Anyone")  # type: ignore[attr-defined]  # self.fields types each field as forms.Field
        self.fields["kind"].choices = [("", _("Any kind")), *_kinds()]  # type: ignore[attr-defined]  # self.fields types each field as forms.Field

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError(_("The period ends before it starts."))
        return data


def _day_start(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())


def entries(data: dict[str, Any]) -> QuerySet[AuditEntry]:
    """The entries the cleaned filters select, newest first."""
    rows = AuditEntry.objects.select_related("actor", "content_type").order_by("-created_at", "-pk")
    if data.get("actor"):
        rows = rows.filter(actor=data["actor"])
    if data.get("kind"):
        rows = rows.filter(content_type_id=int(data["kind"]))
    if data.get("start"):
        rows = rows.filter(created_at__gte=_day_start(data["start"]))
    if data.get("end"):
        rows = rows.filter(created_at__lt=_day_start(data["end"] + datetime.timedelta(days=1)))
    return rows


def kind_label(entry: AuditEntry) -> str:
    model = entry.content_type.model_class()
    return capfirst(str(model._meta.verbose_name)) if model else entry.content_type.model
