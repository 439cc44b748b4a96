"""Courses, their offerings (cohorts), partner contributions and enrolments.

Statuses (for reports):
- `Course.Modality`: online_tutored, online_self_paced, on_site, blended.
- `PartnerContribution.Kind`: tuition, platform, fares, per_diem, instructors, other.
- `Enrolment.Outcome`: enrolled (still running), completed, failed, dropped.
"""

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from faro.accounts.scope import scope_for
from faro.accounts.usertypes import Viewer
from faro.core.fields import TranslatedField
from faro.core.models import TimeStampedModel
from faro.lib.collation import language_names


def run_by(institution_ids: Any, *, course: str, offering: str) -> models.Q:
    """Rows belonging to the programmes of `institution_ids`: the course's provider, or a partner
    contributing to the offering. `course`/`offering` are the lookup paths to them ("" for self)."""
    return models.Q(**{f"{course}provider_id__in": institution_ids}) | models.Q(
        **{f"{offering}contributions__institution_id__in": institution_ids}
    )


if TYPE_CHECKING:
    from faro.directory.models import Person


class CourseQuerySet(models.QuerySet["Course"]):
    def public(self) -> "CourseQuerySet":
        """Courses anyone may see: the published ones."""
        return self.filter(is_published=True)

    def for_user(self, user: Viewer) -> "CourseQuerySet":
        """Staff: all; partner coordinators: their institution's courses (provider or contributor)."""
        scope = scope_for(user)
        if scope.is_staff:
            return self.all()
        visible = models.Q(is_published=True)
        if scope.institution_ids:
            visible |= run_by(scope.institution_ids, course="", offering="offerings__")
        return self.filter(visible).distinct()

    def managed_by(self, user: Viewer) -> "CourseQuerySet":
        """Courses the user may edit: staff all, partners their institution's."""
        scope = scope_for(user)
        if scope.is_staff:
            return self.all()
        return self.filter(run_by(scope.institution_ids, course="", offering="offerings__")).distinct()


class Course(TimeStampedModel):
    """A course agreed with a partner; it runs as one or more offerings."""

    class Modality(models.TextChoices):
        ONLINE_TUTORED = "online_tutored", _("Online, tutored")
        ONLINE_SELF_PACED = "online_self_paced", _("Online, self-paced")
        ON_SITE = "on_site", _("On site")
        BLENDED = "blended", _("Blended")

    title = TranslatedField(_("title"))
    description = TranslatedField(_("description"), multiline=True, blank=True)
    provider = models.ForeignKey(
        "directory.Institution", verbose_name=_("provider"), on_delete=models.PROTECT, related_name="courses"
    )
    priority_area = models.ForeignKey(
        "directory.PriorityArea",
        verbose_name=_("priority area"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="courses",
    )
    topics = models.ManyToManyField("directory.Topic", verbose_name=_("topics"), blank=True, related_name="courses")
    modality = models.CharField(_("modality"), max_length=20, choices=Modality.choices)
    languages = models.JSONField(_("languages"), default=list, help_text=_("Language codes, e.g. es, en"))
    hours = models.PositiveSmallIntegerField(_("hours"))
    certified = models.BooleanField(_("certified"), default=True)
    minimum_grade = models.DecimalField(
        _("minimum grade"), max_digits=6, decimal_places=2, null=True, blank=True, help_text=_("Out of 100.")
    )
    requires_completion = models.BooleanField(_("requires completing every activity"), default=False)
    is_published = models.BooleanField(_("published"), default=False)

    objects = CourseQuerySet.as_manager()

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(minimum_grade__isnull=True) | models.Q(minimum_grade__gte=0),
                name="course_minimum_grade_not_negative",
            )
        ]

    def __str__(self) -> str:
        return str(self.title)

    def get_absolute_url(self) -> str:
        return reverse("courses:course", args=[self.pk])

    def language_names(self) -> list[str]:
        return language_names(self.languages)

    def outcome_for(self, grade: Decimal | None, *, finished: bool, dropped: bool) -> str:
        """The certification rule: completed, failed or dropped."""
        if dropped or (grade is None and not finished):  # never graded, never finished: dropped out
            return Enrolment.Outcome.DROPPED
        if self.requires_completion and not finished:
            return Enrolment.Outcome.FAILED
        if self.minimum_grade is not None and (grade is None or grade < self.minimum_grade):
            return Enrolment.Outcome.FAILED
        return Enrolment.Outcome.COMPLETED


class OfferingQuerySet(models.QuerySet["Offering"]):
    def public(self) -> "OfferingQuerySet":
        """Offerings of published courses."""
        return self.filter(course__is_published=True)

    def for_user(self, user: Viewer) -> "OfferingQuerySet":
        """Staff: all; partners: their institution's programmes; everyone: published ones."""
        scope = scope_for(user)
        if scope.is_staff:
            return self.all()
        visible = models.Q(course__is_published=True)
        if scope.institution_ids:
            visible |= run_by(scope.institution_ids, course="course__", offering="")
        return self.filter(visible).distinct()

    def managed_by(self, user: Viewer) -> "OfferingQuerySet":
        scope = scope_for(user)
        if scope.is_staff:
            return self.all()
        return self.filter(run_by(scope.institution_ids, course="course__", offering="")).distinct()


class Offering(TimeStampedModel):
    """One cohort of a course: dates, seats, tutor, coordinator and the partner's LMS."""

    course = models.ForeignKey(Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="offerings")
    code = models.CharField(_("code"), max_length=40, unique=True)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    seats = models.PositiveIntegerField(_("seats"))
    tutor = models.CharField(_("tutor"), max_length=200, blank=True)
    academic_coordinator = models.CharField(_("academic coordinator"), max_length=200, blank=True)
    lms_url = models.URLField(_("link to the learning platform"), blank=True)

    objects = OfferingQuerySet.as_manager()

    class Meta:
        verbose_name = _("offering")
        verbose_name_plural = _("offerings")
        ordering = ["start", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(end__gte=models.F("start")), name="offering_end_after_start")
        ]

    def __str__(self) -> str:
        return f"{self.course.title} ({self.start:%Y-%m-%d})"

    def get_absolute_url(self) -> str:
        return reverse("courses:offering", args=[self.pk])

    def completed_people(self) -> "models.QuerySet[Person]":
        """People whose enrolment in this offering ended in `completed` (for certificates)."""
        from faro.directory.models import Person

        return Person.objects.filter(pk__in=Enrolment.objects.filter(offering=self).completed().values("person"))


class PartnerContribution(TimeStampedModel):
    """What one partner puts into one offering: money, services or funded places."""

    class Kind(models.TextChoices):
        TUITION = "tuition", _("Tuition")
        PLATFORM = "platform", _("Learning platform")
        FARES = "fares", _("Fares")
        PER_DIEM = "per_diem", _("Per diem")
        INSTRUCTORS = "instructors", _("Instructors")
        OTHER = "other", _("Other")

    offering = models.ForeignKey(
        Offering, verbose_name=_("offering"), on_delete=models.CASCADE, related_name="contributions"
    )
    institution = models.ForeignKey(
        "directory.Institution", verbose_name=_("partner"), on_delete=models.PROTECT, related_name="contributions"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2, null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    places_funded = models.PositiveIntegerField(_("places funded"), default=0)

    class Meta:
        verbose_name = _("partner contribution")
        verbose_name_plural = _("partner contributions")
        ordering = ["offering", "institution", "kind"]

    def __str__(self) -> str:
        return f"{self.institution}: {self.get_kind_display()}"


class EnrolmentQuerySet(models.QuerySet["Enrolment"]):
    def for_user(self, user: Viewer) -> "EnrolmentQuerySet":
        """Staff: all; partners: their programmes; focal points: their state; participants: own."""
        scope = scope_for(user)
        if scope.is_staff:
            return self.all()
        visible = models.Q(person_id=scope.person_id) if scope.person_id else models.Q(pk__in=[])
        if scope.institution_ids:
            visible |= run_by(scope.institution_ids, course="offering__course__", offering="offering__")
        if scope.member_state_ids:
            visible |= models.Q(person__member_state_id__in=scope.member_state_ids)
        return self.filter(visible).distinct()

    def completed(self) -> "EnrolmentQuerySet":
        """Enrolments that ended in "completed" (the course's own outcome rule decided it)."""
        return self.filter(outcome=Enrolment.Outcome.COMPLETED)

    def current(self) -> "EnrolmentQuerySet":
        """Enrolments still running: no outcome recorded yet."""
        return self.filter(outcome=Enrolment.Outcome.ENROLLED)


class Enrolment(TimeStampedModel):
    """A person in an offering; the completion import sets grade and outcome."""

    class Outcome(models.TextChoices):
        ENROLLED = "enrolled", _("Enrolled")
        COMPLETED = "completed", _("Completed")
        FAILED = "failed", pgettext_lazy("course outcome", "Failed")
        DROPPED = "dropped", _("Dropped")

    offering = models.ForeignKey(
        Offering, verbose_name=_("offering"), on_delete=models.CASCADE, related_name="enrolments"
    )
    person = models.ForeignKey(
        "directory.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="enrolments"
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, default=Outcome.ENROLLED)
    grade = models.DecimalField(_("grade"), max_digits=6, decimal_places=2, null=True, blank=True)
    outcome_recorded_at = models.DateTimeField(_("outcome recorded"), null=True, blank=True)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["offering", "person__last_name", "person__first_name"]
        constraints = [models.UniqueConstraint(fields=["offering", "person"], name="enrolment_unique")]

    def __str__(self) -> str:
        return f"{self.person} — {self.offering}"
