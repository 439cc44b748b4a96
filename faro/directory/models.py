"""Member states, regions, plans of action, institutions, people and appointments."""

import datetime
import functools
import unicodedata
from collections.abc import Iterator
from typing import Any, TypeVar

from babel import Locale
from django.conf import settings
from django.db import connections, models
from django.db.models.functions import Collate, Lower
from django.db.models.query import ModelIterable
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from faro.accounts.scope import scope_for
from faro.accounts.usertypes import Viewer
from faro.core.fields import TranslatedField
from faro.core.models import TimeStampedModel
from faro.lib.collation import FILING_LANGUAGES, filing_key, search_form, sorted_by_name

_M = TypeVar("_M", bound=models.Model)


def country_name(code: str, language: str | None = None) -> str:
    """The country's name in `language` (default: the active one), from CLDR via Babel."""
    return _country_name(code.upper(), (language or get_language() or settings.LANGUAGE_CODE).split("-")[0])


@functools.lru_cache(maxsize=4096)  # CLDR's names do not change while the process runs
def _country_name(code: str, language: str) -> str:
    name: str = Locale.parse(language).territories.get(code, code)
    return name


def _name(obj: models.Model) -> str:
    return str(getattr(obj, "name", obj))


class NameOrderedQuerySet(models.QuerySet[_M]):
    """Without an explicit `order_by`, instances come in collation order of their name in the viewer's
    language (names come from CLDR or people, so the database cannot sort them right). Slices and
    explicit orderings keep the database's order."""

    def _by_name(self) -> bool:
        query = self.query
        return (
            self._iterable_class is ModelIterable
            and not query.order_by
            and query.default_ordering
            and not query.is_sliced
        )

    def _fetch_all(self) -> None:
        fresh = self._result_cache is None
        super()._fetch_all()
        if fresh and self._by_name() and self._result_cache:
            self._result_cache = sorted_by_name(self._result_cache, _name)

    def iterator(self, chunk_size: int | None = None) -> Iterator[_M]:
        if not self._by_name():
            yield from super().iterator(chunk_size)
            return
        yield from sorted_by_name(super().iterator(chunk_size), _name)


class MemberStateQuerySet(NameOrderedQuerySet["MemberState"]):
    def participating_on(self, day: datetime.date) -> "MemberStateQuerySet":
        """States with no non-participating status period covering `day`."""
        blocked = MemberStateStatus.objects.blocking().covering(day).values("member_state")
        return self.exclude(pk__in=blocked)


class MemberState(models.Model):
    """One of the 35 OAS member states. Names come from CLDR in the viewer's language."""

    code = models.CharField(_("ISO code"), max_length=2, unique=True)
    iso3 = models.CharField(_("ISO alpha-3 code"), max_length=3, unique=True)
    oas_member_since = models.DateField(_("OAS member since"), null=True, blank=True)

    objects = MemberStateQuerySet.as_manager()

    class Meta:
        verbose_name = _("member state")
        verbose_name_plural = _("member states")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return country_name(self.code)

    def name_in(self, language: str) -> str:
        return country_name(self.code, language)

    def status_on(self, day: datetime.date) -> "MemberStateStatus | None":
        return self.statuses.covering(day).order_by("-start").first()

    def is_participating_on(self, day: datetime.date) -> bool:
        status = self.status_on(day)
        return status is None or status.status == MemberStateStatus.Kind.PARTICIPATING


class MemberStateStatusQuerySet(models.QuerySet["MemberStateStatus"]):
    def covering(self, day: datetime.date) -> "MemberStateStatusQuerySet":
        return self.filter(start__lte=day).filter(models.Q(end__isnull=True) | models.Q(end__gte=day))

    def blocking(self) -> "MemberStateStatusQuerySet":
        return self.exclude(status=MemberStateStatus.Kind.PARTICIPATING)


class MemberStateStatus(models.Model):
    """A dated period of a state's participation (e.g. Honduras suspended 2009–2011)."""

    class Kind(models.TextChoices):
        PARTICIPATING = "participating", _("Participating")
        NON_PARTICIPATING = "non_participating", _("Member, not participating")
        SUSPENDED = "suspended", _("Suspended")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        CONTESTED = "contested", _("Representation contested")

    member_state = models.ForeignKey(
        MemberState, verbose_name=_("member state"), on_delete=models.CASCADE, related_name="statuses"
    )
    status = models.CharField(_("status"), max_length=20, choices=Kind.choices)
    start = models.DateField(_("from"))
    end = models.DateField(_("until"), null=True, blank=True)
    note = TranslatedField(_("note"), blank=True)

    objects = MemberStateStatusQuerySet.as_manager()

    class Meta:
        verbose_name = _("participation status")
        verbose_name_plural = _("participation statuses")
        ordering = ["member_state", "start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                name="status_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member_state.code}: {self.get_status_display()} {self.start}–{self.end or ''}"


class RegionScheme(models.Model):
    """A way of grouping states for reports: UN M49, or the CIP's political groupings."""

    code = models.SlugField(_("code"), unique=True)
    name = TranslatedField(_("name"))

    class Meta:
        verbose_name = _("region scheme")
        verbose_name_plural = _("region schemes")
        ordering = ["code"]

    def __str__(self) -> str:
        return str(self.name)


class Region(models.Model):
    scheme = models.ForeignKey(RegionScheme, verbose_name=_("scheme"), on_delete=models.CASCADE, related_name="regions")
    code = models.SlugField(_("code"))
    name = TranslatedField(_("name"))
    member_states = models.ManyToManyField(MemberState, verbose_name=_("member states"), related_name="regions")

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["scheme", "code"]
        constraints = [models.UniqueConstraint(fields=["scheme", "code"], name="region_code_unique_in_scheme")]

    def __str__(self) -> str:
        return str(self.name)


class PlanOfAction(models.Model):
    """A two- or three-year Plan of Action, named after the city that approved it."""

    name = TranslatedField(_("name"))
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"))

    class Meta:
        verbose_name = _("plan of action")
        verbose_name_plural = _("plans of action")
        ordering = ["-start_year"]
        constraints = [
            models.CheckConstraint(condition=models.Q(end_year__gte=models.F("start_year")), name="plan_years_ordered")
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.start_year}–{self.end_year}"


class PriorityArea(models.Model):
    """A priority area of a plan, worked on by a Technical Advisory Group (TAG)."""

    plan = models.ForeignKey(
        PlanOfAction, verbose_name=_("plan of action"), on_delete=models.CASCADE, related_name="priority_areas"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    name = TranslatedField(_("name"))
    chair = models.ForeignKey(
        MemberState, verbose_name=_("chair"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    chair_institution = models.CharField(_("chair institution"), max_length=200, blank=True)
    vice_chair = models.ForeignKey(
        MemberState, verbose_name=_("vice-chair"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("priority area")
        verbose_name_plural = _("priority areas")
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="priority_area_number_unique")]

    def __str__(self) -> str:
        return str(self.name)


class Topic(models.Model):
    priority_area = models.ForeignKey(
        PriorityArea, verbose_name=_("priority area"), on_delete=models.CASCADE, related_name="topics"
    )
    slug = models.SlugField(_("code"))
    name = TranslatedField(_("name"))

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["priority_area", "slug"]
        constraints = [models.UniqueConstraint(fields=["priority_area", "slug"], name="topic_slug_unique_in_area")]

    def __str__(self) -> str:
        return str(self.name)


class InstitutionQuerySet(NameOrderedQuerySet["Institution"]):
    def for_user(self, user: Viewer) -> "InstitutionQuerySet":
        """Institutions are public reference data; every signed-in role may see them."""
        return self.all()

    def partners(self) -> "InstitutionQuerySet":
        return self.filter(memberships__kind=Membership.Kind.STRATEGIC_PARTNER).distinct()


class Institution(TimeStampedModel):
    class Kind(models.TextChoices):
        PORT_AUTHORITY = "port_authority", _("National port authority")
        PORT_OPERATOR = "port_operator", _("Port company or operator")
        MINISTRY = "ministry", _("Ministry or government agency")
        ACADEMIC = "academic", _("Academic institution")
        INTERNATIONAL = "international", _("International organisation")
        NGO = "ngo", _("Non-governmental organisation")
        PRIVATE = "private", _("Private company")

    name = models.CharField(_("name"), max_length=200)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    country_code = models.CharField(_("country"), max_length=2, help_text=_("ISO 3166 code, e.g. PE"))
    website = models.URLField(_("website"), blank=True)

    objects = InstitutionQuerySet.as_manager()

    class Meta:
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), "country_code", name="institution_name_unique_in_country")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    @property
    def country_name(self) -> str:
        return country_name(self.country_code)


class Membership(TimeStampedModel):
    """An institution's standing with the CIP: associate member or strategic partner."""

    class Kind(models.TextChoices):
        ASSOCIATE_MEMBER = "associate_member", _("Associate member")
        STRATEGIC_PARTNER = "strategic_partner", _("Strategic partner")

    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.CASCADE, related_name="memberships"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    approving_state = models.ForeignKey(
        MemberState,
        verbose_name=_("approving member state"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    start = models.DateField(_("from"), null=True, blank=True)
    end = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="associate_member")
                | (models.Q(approving_state__isnull=False) & models.Q(approved_on__isnull=False)),
                name="associate_member_needs_approval",
            )
        ]

    def __str__(self) -> str:
        return f"{self.institution}: {self.get_kind_display()}"


class PersonQuerySet(models.QuerySet["Person"]):
    def matching(self, words: list[str]) -> "PersonQuerySet":
        """People whose names or email hold every word, accents, case and apostrophes aside ("davila"
        finds "D'Ávila")."""
        found = self
        for word in filter(None, map(search_form, words)):
            found = found.filter(search_text__contains=word)
        return found

    def filed(self, language: str | None = None) -> "PersonQuerySet":
        """In the reader's filing order of last, then first names ("Ávila" with the A's; in Spanish
        "Ñáñez" after "Nuño"), compared byte by byte whatever the database's own collation."""
        language = (language or get_language() or "en").split("-")[0]
        column = "filing_key_es" if language in FILING_LANGUAGES else "filing_key"
        binary = "C" if connections[self.db].vendor == "postgresql" else "BINARY"
        return self.order_by(Collate(column, binary), "pk")

    def for_user(self, user: Viewer) -> "PersonQuerySet":
        """Staff see everyone; focal points their state's people; anyone else only themselves."""
        scope = scope_for(user)
        if scope.is_staff:
            return self.all()
        visible = models.Q(pk=scope.person_id) if scope.person_id else models.Q(pk__in=[])
        if scope.member_state_ids:
            visible |= models.Q(member_state_id__in=scope.member_state_ids)
        return self.filter(visible)

    def with_email(self, email: str) -> "PersonQuerySet":
        return self.filter(email__iexact=email.strip())


class Person(TimeStampedModel):
    """A port official or anyone else Faro knows about. Email is unique regardless of case."""

    class Level(models.TextChoices):
        SENIOR = "senior", _("Senior management")
        MIDDLE = "middle", _("Middle management")
        TECHNICAL = "technical", _("Technical or professional")
        OPERATIONAL = "operational", _("Operational")
        OTHER = "other", _("Other")

    class Gender(models.TextChoices):
        WOMAN = "woman", _("Woman")
        MAN = "man", _("Man")
        OTHER = "other", _("Another identity")
        UNDISCLOSED = "undisclosed", _("Prefer not to say")

    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    email = models.EmailField(_("email"), null=True, blank=True)
    member_state = models.ForeignKey(
        MemberState,
        verbose_name=_("member state"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
    )
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("institution"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
    )
    position = models.CharField(_("position"), max_length=200, blank=True)
    position_level = models.CharField(_("position level"), max_length=20, choices=Level.choices, blank=True)
    # Derived from the names and email by `normalise_names` (never typed): how the directory sorts
    # and searches people in the database, one page at a time, in each reader's filing order.
    filing_key = models.CharField(_("filing key"), max_length=700, blank=True, editable=False)
    filing_key_es = models.CharField(_("filing key (Spanish)"), max_length=700, blank=True, editable=False)
    search_text = models.CharField(_("search text"), max_length=700, blank=True, editable=False)
    gender = models.CharField(_("gender"), max_length=20, choices=Gender.choices, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=5, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    timezone = models.CharField(_("time zone"), max_length=64, blank=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"), condition=models.Q(email__isnull=False), name="person_email_unique_any_case"
            )
        ]
        indexes = [
            models.Index(fields=["member_state", "gender"]),
            models.Index(fields=["filing_key"], name="person_filing_key"),
            models.Index(fields=["filing_key_es"], name="person_filing_key_es"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def normalise_names(self) -> None:
        """A phone keyboard may send "Á" as "A" and a combining accent: names are kept in one form (NFC),
        so that they match, sort and print alike whoever typed them; the filing keys and the search
        text follow them. `save` calls it; a write that bypasses `save` (a raw or bulk insert) calls it first."""
        self.first_name = unicodedata.normalize("NFC", self.first_name or "")
        self.last_name = unicodedata.normalize("NFC", self.last_name or "")
        names = (self.last_name, self.first_name)
        self.filing_key = filing_key(names)[:700]
        self.filing_key_es = filing_key(names, "es")[:700]
        self.search_text = " ".join(search_form(part) for part in (*names, self.email or ""))[:700]

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.normalise_names()
        super().save(*args, **kwargs)


class AppointmentQuerySet(models.QuerySet["Appointment"]):
    def current(self, day: datetime.date | None = None) -> "AppointmentQuerySet":
        day = day or timezone.localdate()
        return self.filter(start__lte=day).filter(models.Q(end__isnull=True) | models.Q(end__gte=day))

    def for_user(self, user: Viewer) -> "AppointmentQuerySet":
        scope = scope_for(user)
        if scope.is_staff:
            return self.all()
        return self.filter(member_state_id__in=scope.member_state_ids)


class Appointment(TimeStampedModel):
    """A person's appointment for a member state: focal point, principal delegate, alternate."""

    class Role(models.TextChoices):
        FOCAL_POINT = "focal_point", _("National focal point")
        PRINCIPAL_DELEGATE = "principal_delegate", _("Principal delegate")
        ALTERNATE = "alternate", _("Alternate delegate")

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="appointments")
    member_state = models.ForeignKey(
        MemberState, verbose_name=_("member state"), on_delete=models.CASCADE, related_name="appointments"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    start = models.DateField(_("from"))
    end = models.DateField(_("until"), null=True, blank=True)

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["member_state", "role", "-start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                name="appointment_end_after_start",
            ),
            models.UniqueConstraint(
                fields=["person", "member_state", "role", "start"], name="appointment_recorded_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_role_display()}, {self.member_state.code}"
