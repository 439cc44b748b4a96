"""Course endpoints: the public catalogue (courses, offerings) and, for a partner's LMS, the
enrolments of its programmes and the push of completions.

Completions go through the completion importer (`services.preview_results` then
`services.import_results`), so the course's certification rule decides each outcome exactly as
for an uploaded gradebook, all or nothing. A partner reaching another partner's offering gets 404.
"""

import csv
import io
from typing import Any

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from faro.accounts.usertypes import Viewer
from faro.api.permissions import PUBLIC, SIGNED_IN
from faro.api.serializers import (
    IdField,
    InstitutionRefSerializer,
    StrictSerializer,
    TranslatedTextField,
    absolute_url,
    query_params,
)
from faro.courses import services
from faro.courses.models import Course, Enrolment, Offering
from faro.directory.models import Person

# --- Catalogue -----------------------------------------------------------------------------------


class OfferingSerializer(serializers.Serializer[Offering]):
    id = serializers.IntegerField()
    course = serializers.IntegerField(source="course_id")
    course_title = TranslatedTextField(source="course.title")
    code = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    seats = serializers.IntegerField()
    tutor = serializers.CharField()
    academic_coordinator = serializers.CharField()
    lms_url = serializers.CharField()
    partners = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    @extend_schema_field(InstitutionRefSerializer(many=True))
    def get_partners(self, offering: Offering) -> list[dict[str, Any]]:
        """The contributing institutions (without amounts, which are not public)."""
        institutions = {c.institution_id: c.institution for c in offering.contributions.all()}
        shown = InstitutionRefSerializer(list(institutions.values()), many=True)  # type: ignore[arg-type]  # many=True takes a list; the stubs type one instance
        return shown.data  # type: ignore[return-value]  # a list of dicts under many=True

    def get_url(self, offering: Offering) -> str:
        return absolute_url(self.context.get("request"), offering.get_absolute_url())


class CourseSerializer(serializers.Serializer[Course]):
    id = serializers.IntegerField()
    title = TranslatedTextField()
    description = TranslatedTextField()
    provider = InstitutionRefSerializer()
    priority_area = serializers.IntegerField(source="priority_area_id", allow_null=True)
    topics = serializers.SerializerMethodField()
    modality = serializers.ChoiceField(choices=Course.Modality.choices)
    languages = serializers.ListField(child=serializers.CharField())
    hours = serializers.IntegerField()
    certified = serializers.BooleanField()
    minimum_grade = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True, coerce_to_string=False)
    requires_completion = serializers.BooleanField()
    published = serializers.BooleanField(source="is_published")
    offerings = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    def get_topics(self, course: Course) -> list[int]:
        return [topic.pk for topic in course.topics.all()]

    def get_offerings(self, course: Course) -> list[int]:
        return [offering.pk for offering in course.offerings.all()]

    def get_url(self, course: Course) -> str:
        return absolute_url(self.context.get("request"), course.get_absolute_url())


class CourseFilter(serializers.Serializer[dict[str, Any]]):
    modality = serializers.ChoiceField(choices=Course.Modality.choices, required=False)
    provider = IdField(required=False, help_text="The provider institution's id")
    priority_area = IdField(required=False)
    topic = IdField(required=False)
    certified = serializers.BooleanField(required=False, default=None)


def _courses(user: Viewer) -> QuerySet[Course]:
    return (
        Course.objects.for_user(user).select_related("provider").prefetch_related("topics", "offerings").order_by("pk")
    )


@extend_schema(parameters=[CourseFilter])
class CourseList(generics.ListAPIView[Course]):
    """Published courses (and, for staff and partners, their unpublished ones)."""

    serializer_class = CourseSerializer
    permission_classes = PUBLIC

    def get_queryset(self) -> QuerySet[Course]:
        params = query_params(self.request, CourseFilter)
        courses = _courses(self.request.user)
        for name, lookup in [
            ("modality", "modality"),
            ("provider", "provider_id"),
            ("certified", "certified"),
            ("priority_area", "priority_area_id"),
        ]:
            if name in params:
                courses = courses.filter(**{lookup: params[name]})
        if "topic" in params:
            courses = courses.filter(pk__in=Course.objects.filter(topics=params["topic"]).values("pk"))
        return courses


class CourseDetail(generics.RetrieveAPIView[Course]):
    serializer_class = CourseSerializer
    permission_classes = PUBLIC

    def get_queryset(self) -> QuerySet[Course]:
        return _courses(self.request.user)


class OfferingFilter(serializers.Serializer[dict[str, Any]]):
    course = IdField(required=False)
    partner = IdField(required=False, help_text="Provider or contributor institution")
    starts_after = serializers.DateField(required=False)
    starts_before = serializers.DateField(required=False)
    mine = serializers.BooleanField(required=False, default=None, help_text="Only the offerings the caller manages")


def _offerings(queryset: QuerySet[Offering]) -> QuerySet[Offering]:
    return queryset.select_related("course").prefetch_related("contributions__institution").order_by("start", "pk")


@extend_schema(parameters=[OfferingFilter])
class OfferingList(generics.ListAPIView[Offering]):
    """Offerings (cohorts) of the courses the caller may see, earliest first."""

    serializer_class = OfferingSerializer
    permission_classes = PUBLIC

    def get_queryset(self) -> QuerySet[Offering]:
        params = query_params(self.request, OfferingFilter)
        user = self.request.user
        offerings = Offering.objects.managed_by(user) if params.get("mine") else Offering.objects.for_user(user)
        if "course" in params:
            offerings = offerings.filter(course_id=params["course"])
        if "partner" in params:
            ids = [params["partner"]]
            mine = Q(course__provider_id__in=ids) | Q(contributions__institution_id__in=ids)
            offerings = offerings.filter(pk__in=Offering.objects.filter(mine).values("pk"))
        if "starts_after" in params:
            offerings = offerings.filter(start__gte=params["starts_after"])
        if "starts_before" in params:
            offerings = offerings.filter(start__lt=params["starts_before"])
        return _offerings(offerings)


class OfferingDetail(generics.RetrieveAPIView[Offering]):
    serializer_class = OfferingSerializer
    permission_classes = PUBLIC

    def get_queryset(self) -> QuerySet[Offering]:
        return _offerings(Offering.objects.for_user(self.request.user))


# --- Enrolments and completions ------------------------------------------------------------------


class PersonRefSerializer(serializers.Serializer[Person]):
    id = serializers.IntegerField()
    email = serializers.CharField(allow_null=True)
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    country = serializers.SerializerMethodField()

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_country(self, person: Person) -> str | None:
        return person.member_state.code if person.member_state else None


class EnrolmentSerializer(serializers.Serializer[Enrolment]):
    id = serializers.IntegerField()
    offering = serializers.IntegerField(source="offering_id")
    person = PersonRefSerializer()
    outcome = serializers.ChoiceField(choices=Enrolment.Outcome.choices)
    grade = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True, coerce_to_string=False)
    outcome_recorded_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()


class EnrolmentFilter(serializers.Serializer[dict[str, Any]]):
    offering = IdField(required=False)
    outcome = serializers.ChoiceField(choices=Enrolment.Outcome.choices, required=False)
    email = serializers.CharField(required=False, max_length=254, help_text="The person's email, any case")


def _enrolments(queryset: QuerySet[Enrolment]) -> QuerySet[Enrolment]:
    return queryset.select_related("person__member_state").order_by("offering_id", "pk")


def _filter_enrolments(request: Request, enrolments: QuerySet[Enrolment]) -> QuerySet[Enrolment]:
    params = query_params(request, EnrolmentFilter)
    if "offering" in params:
        enrolments = enrolments.filter(offering_id=params["offering"])
    if "outcome" in params:
        enrolments = enrolments.filter(outcome=params["outcome"])
    if "email" in params:
        enrolments = enrolments.filter(person__email__iexact=params["email"].strip())
    return enrolments


@extend_schema(parameters=[EnrolmentFilter])
class EnrolmentList(generics.ListAPIView[Enrolment]):
    """Enrolments the caller may see: their own; a partner's programmes'; a focal point's state's; staff all."""

    serializer_class = EnrolmentSerializer
    permission_classes = SIGNED_IN

    def get_queryset(self) -> QuerySet[Enrolment]:
        return _filter_enrolments(self.request, _enrolments(Enrolment.objects.for_user(self.request.user)))


class EnrolmentDetail(generics.RetrieveAPIView[Enrolment]):
    serializer_class = EnrolmentSerializer
    permission_classes = SIGNED_IN

    def get_queryset(self) -> QuerySet[Enrolment]:
        return _enrolments(Enrolment.objects.for_user(self.request.user))


def managed_offering(request: Request, pk: int) -> Offering:
    """An offering the caller runs (staff, or its provider or contributing partner); else 404."""
    return get_object_or_404(Offering.objects.managed_by(request.user).select_related("course"), pk=pk)


@extend_schema(parameters=[EnrolmentFilter])
class OfferingEnrolments(generics.ListAPIView[Enrolment]):
    """Everyone enrolled in one of the caller's offerings (staff, or the partners running it)."""

    serializer_class = EnrolmentSerializer
    permission_classes = SIGNED_IN

    def get_queryset(self) -> QuerySet[Enrolment]:
        offering = managed_offering(self.request, self.kwargs["pk"])
        return _filter_enrolments(self.request, _enrolments(offering.enrolments.all()))


class ResultInput(StrictSerializer):
    email = serializers.EmailField(max_length=254)
    grade = serializers.DecimalField(max_digits=6, decimal_places=2, min_value=0, required=False, allow_null=True)
    status = serializers.ChoiceField(
        choices=["completed", "failed", "dropped"],
        required=False,
        allow_null=True,
        help_text="Leave out to let the grade and the course's rule decide",
    )


class CompletionInput(StrictSerializer):
    results = ResultInput(many=True, allow_empty=False, max_length=5000)  # type: ignore[call-arg]  # many=True passes max_length to the ListSerializer
    confirm = serializers.BooleanField(
        default=False,
        help_text="Needed when more than a quarter of the enrolments would get a different recorded outcome",
    )


class CompletionOutput(serializers.Serializer[dict[str, Any]]):
    counts = serializers.DictField(child=serializers.IntegerField(), help_text="Rows per outcome")
    enrolments = EnrolmentSerializer(many=True)


def _as_csv(results: list[dict[str, Any]]) -> io.BytesIO:
    """The results in the importer's plain format: email, grade, status."""
    text = io.StringIO()
    writer = csv.writer(text, quoting=csv.QUOTE_ALL)
    writer.writerow(["email", "grade", "status"])
    for row in results:
        grade = row.get("grade")
        writer.writerow([row["email"], "" if grade is None else str(grade), row.get("status") or ""])
    return io.BytesIO(text.getvalue().encode())


def _confirm_message(n: int) -> str:
    message = _("This would change %(n)s recorded outcomes, more than a quarter of the enrolments: send confirm=true.")
    return message % {"n": n}


class OfferingCompletions(generics.GenericAPIView[Any]):  # answers computed figures, not one model's rows
    """Push results from the partner's LMS: each person's grade and/or status. The course's
    certification rule decides completed, failed or dropped. All rows or none: any row in error
    answers 400 naming it (`results.<index>`) and nothing is recorded."""

    serializer_class = CompletionInput
    permission_classes = SIGNED_IN

    @extend_schema(request=CompletionInput, responses={200: CompletionOutput})
    def post(self, request: Request, pk: int) -> Response:
        offering = managed_offering(request, pk)
        serializer = CompletionInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        results = serializer.validated_data["results"]
        preview = services.preview_results(offering, _as_csv(results), filename="api.csv")
        if preview.refused:
            raise ValidationError({"results": [preview.refused]})
        if not preview.ok:
            raise ValidationError({f"results.{error.line - 2}": [str(error.message)] for error in preview.errors})
        if preview.needs_confirmation and not serializer.validated_data["confirm"]:
            raise ValidationError({"confirm": [_confirm_message(len(preview.overwrites))]})
        counts = services.import_results(offering, preview, acting_user=request.user, confirmed=True)
        updated = _enrolments(offering.enrolments.filter(pk__in=[row.enrolment_id for row in preview.rows]))
        body = {"counts": counts, "enrolments": EnrolmentSerializer(updated, many=True).data}  # type: ignore[arg-type]  # many=True takes a queryset
        return Response(body)
