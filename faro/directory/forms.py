from typing import Any, TypeVar, cast

from babel import Locale
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.models import construct_instance
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from faro.core.middleware import time_zone_choices
from faro.directory.models import Appointment, Institution, Membership, MemberState, MemberStateStatus, Person
from faro.directory.services import check_email_free, check_institution_free
from faro.lib.collation import collate_field, collated, language_choices, sorted_by_name
from faro.lib.text import normalise_email

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def country_choices() -> list[tuple[str, str]]:
    """Every ISO country, named in the viewer's language (institutions may sit outside the OAS)."""
    locale = Locale.parse((get_language() or settings.LANGUAGE_CODE).split("-")[0])
    names = {code: name for code, name in locale.territories.items() if len(code) == 2 and code.isalpha()}
    return sorted_by_name(names.items(), lambda item: item[1])


class DatesInOrderMixin(forms.Form):
    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end date cannot be before the start date."))
        return data


_M = TypeVar("_M", bound=models.Model)


class ServiceModelForm(forms.ModelForm[_M]):
    """A ModelForm that checks each field only: rules across fields live in clean() and the service,
    which give clearer messages than the database constraints' generic ones."""

    def _post_clean(self) -> None:
        try:
            self.instance = construct_instance(self, self.instance, self._meta.fields, self._meta.exclude)
            self.instance.full_clean(
                exclude=self._get_validation_exclusions(),  # type: ignore[attr-defined]  # ModelForm's private hooks, not in the stubs
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as error:
            self._update_errors(error)  # type: ignore[attr-defined]  # ModelForm's private hooks, not in the stubs


class PersonForm(ServiceModelForm[Person]):
    class Meta:
        model = Person
        fields = [
            "first_name",
            "last_name",
            "email",
            "member_state",
            "institution",
            "position",
            "position_level",
            "gender",
            "preferred_language",
            "timezone",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["timezone"] = forms.ChoiceField(
            label=_("time zone"), required=False, choices=[("", "—"), *time_zone_choices()]
        )
        cast(forms.ChoiceField, self.fields["preferred_language"]).choices = language_choices

    def clean_email(self) -> str | None:
        email = normalise_email(self.cleaned_data.get("email"))
        check_email_free(email, exclude=self.instance)
        return email


class InstitutionForm(ServiceModelForm[Institution]):
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    class Meta:
        model = Institution
        fields = ["name", "acronym", "kind", "country_code", "website"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country_code"] = forms.ChoiceField(label=_("country"), choices=country_choices())
        collate_field(self.fields["kind"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("name") and data.get("country_code"):
            check_institution_free(data["name"], data["country_code"], exclude=self.instance)
        return data


class MembershipForm(DatesInOrderMixin, ServiceModelForm[Membership]):
    class Meta:
        model = Membership
        fields = ["kind", "approving_state", "approved_on", "start", "end"]
        widgets = {"approved_on": DATE, "start": DATE, "end": DATE}
        help_texts = {"approving_state": _("Required for associate members, with the date of approval.")}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == Membership.Kind.ASSOCIATE_MEMBER:
            if not data.get("approving_state"):
                self.add_error("approving_state", _("An associate member needs the member state that approved it."))
            if not data.get("approved_on"):
                self.add_error("approved_on", _("An associate member needs the date it was approved."))
        return data


class StatusForm(DatesInOrderMixin, ServiceModelForm[MemberStateStatus]):
    class Meta:
        model = MemberStateStatus
        fields = ["status", "start", "end", "note"]
        widgets = {"start": DATE, "end": DATE}


class AppointmentForm(DatesInOrderMixin, ServiceModelForm[Appointment]):
    class Meta:
        model = Appointment
        fields = ["person", "member_state", "role", "start", "end"]
        widgets = {"start": DATE, "end": DATE}


class EndAppointmentForm(forms.Form):
    end = forms.DateField(label=_("until"), widget=DATE)


class MergeForm(forms.Form):
    duplicate = forms.CharField(
        label=_("The duplicate record"),
        help_text=_("Its email, or its number in Faro. Everything it holds moves to this record, then it is deleted."),
    )

    def __init__(self, *args: Any, target: Person, people: Any, **kwargs: Any) -> None:
        self.target, self.people = target, people
        super().__init__(*args, **kwargs)

    def clean_duplicate(self) -> Person:
        value = self.cleaned_data["duplicate"].strip()
        found = (
            self.people.with_email(value) if "@" in value else self.people.filter(pk=value if value.isdigit() else 0)
        )
        person = found.first()
        if person is None:
            raise forms.ValidationError(_("No person matches %(value)s."), params={"value": value})
        if person.pk == self.target.pk:
            raise forms.ValidationError(_("A record cannot be merged into itself."))
        chosen: Person = person
        return chosen


class PersonFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or email"), required=False)
    member_state = forms.ModelChoiceField(label=_("member state"), queryset=MemberState.objects.all(), required=False)
    institution = forms.ModelChoiceField(label=_("institution"), queryset=Institution.objects.all(), required=False)
    gender = forms.ChoiceField(label=_("gender"), choices=[("", "—"), *Person.Gender.choices], required=False)
    level = forms.ChoiceField(label=_("position level"), choices=[("", "—"), *Person.Level.choices], required=False)


class InstitutionFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or acronym"), required=False)
    kind = forms.ChoiceField(label=_("kind"), choices=collated([("", "—"), *Institution.Kind.choices]), required=False)
    country = forms.ChoiceField(label=_("country"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        used = set(Institution.objects.values_list("country_code", flat=True))
        countries = [("", "—"), *((c, n) for c, n in country_choices() if c in used)]
        self.fields["country"].choices = countries  # type: ignore[attr-defined]  # self.fields types each field as forms.Field
