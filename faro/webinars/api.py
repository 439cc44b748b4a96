"""Webinar endpoints: the public list and detail, registrations (create, read, cancel).

Registrations go through `services.register_for_webinar`, the service behind the web form, so the
same rules hold: capacity, the waitlist, and one registration per person and webinar (a repeated
request answers 200 with the existing registration instead of 201).
"""

from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from faro.accounts.scope import scope_for
from faro.accounts.usertypes import Viewer
from faro.api.permissions import PUBLIC, SIGNED_IN
from faro.api.serializers import (
    IdField,
    InstitutionRefSerializer,
    StrictSerializer,
    TextField,
    TranslatedTextField,
    absolute_url,
    query_params,
)
from faro.directory.models import MemberState, Person
from faro.directory.reference import OAS_MEMBER_STATES
from faro.lib.text import normalise_email
from faro.webinars import services
from faro.webinars.models import Question, Registration, Speaker, Webinar

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


# --- Webinars ------------------------------------------------------------------------------------


class SpeakerSerializer(serializers.Serializer[Speaker]):
    name = serializers.CharField()
    role = serializers.CharField()
    institution = serializers.CharField()
    country_code = serializers.CharField()


class QuestionSerializer(serializers.Serializer[Question]):
    id = serializers.IntegerField()
    label = TranslatedTextField()  # type: ignore[assignment]  # a field named like Field.label
    required = serializers.BooleanField()  # type: ignore[assignment]  # a field named like Field.required


class WebinarSerializer(serializers.Serializer[Webinar]):
    """A webinar as the public page shows it (never the join link: that belongs to registrants)."""

    id = serializers.IntegerField()
    title = TranslatedTextField()
    description = TranslatedTextField()
    status = serializers.ChoiceField(choices=Webinar.Status.choices)
    language = serializers.CharField()
    interpretation_languages = serializers.ListField(child=serializers.CharField())
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    duration_minutes = serializers.IntegerField()
    platform = serializers.ChoiceField(choices=Webinar.Platform.choices)
    capacity = serializers.IntegerField()
    seats_left = serializers.SerializerMethodField()
    open_for_registration = serializers.BooleanField(source="is_open_for_registration")
    recording_url = serializers.CharField()
    materials_url = serializers.CharField()
    priority_area = serializers.IntegerField(source="priority_area_id", allow_null=True)
    topics = serializers.SerializerMethodField()
    partners = InstitutionRefSerializer(many=True)
    speakers = SpeakerSerializer(many=True)
    questions = QuestionSerializer(many=True)
    url = serializers.SerializerMethodField()

    def get_seats_left(self, webinar: Webinar) -> int:
        confirmed: int = webinar.confirmed  # type: ignore[attr-defined]  # annotated by the queryset
        return max(webinar.capacity - confirmed, 0)

    def get_topics(self, webinar: Webinar) -> list[int]:
        return [topic.pk for topic in webinar.topics.all()]

    def get_url(self, webinar: Webinar) -> str:
        return absolute_url(self.context.get("request"), webinar.get_absolute_url())


class WebinarFilter(serializers.Serializer[dict[str, Any]]):
    status = serializers.ChoiceField(choices=Webinar.Status.choices, required=False, help_text="e.g. published")
    upcoming = serializers.BooleanField(required=False, default=None, help_text="Not yet ended")
    starts_after = serializers.DateTimeField(required=False, help_text="ISO 8601 date and time")
    starts_before = serializers.DateTimeField(required=False, help_text="ISO 8601 date and time")
    partner = IdField(required=False, help_text="A co-organising institution's id")
    language = serializers.ChoiceField(choices=LANGUAGE_CODES, required=False)


def _webinars(user: Viewer) -> QuerySet[Webinar]:
    """What the caller may see: public webinars, plus their own, co-organised or (staff) all."""
    confirmed = Count("registrations", filter=Q(registrations__status=Registration.Status.CONFIRMED), distinct=True)
    return (
        Webinar.objects.visible_to(user)
        .annotate(confirmed=confirmed)
        .prefetch_related("partners", "speakers", "questions", "topics")
    )


@extend_schema(parameters=[WebinarFilter])
class WebinarList(generics.ListAPIView[Webinar]):
    """Webinars, latest first: public ones for everyone, plus those the caller registered for,
    co-organises (partners) or manages (staff)."""

    serializer_class = WebinarSerializer
    permission_classes = PUBLIC

    def get_queryset(self) -> QuerySet[Webinar]:
        params = query_params(self.request, WebinarFilter)
        webinars = _webinars(self.request.user)
        if "status" in params:
            webinars = webinars.filter(status=params["status"])
        if params.get("upcoming") is not None:
            from django.utils import timezone

            ended = Q(ends_at__lt=timezone.now())
            webinars = webinars.exclude(ended) if params["upcoming"] else webinars.filter(ended)
        if "starts_after" in params:
            webinars = webinars.filter(starts_at__gte=params["starts_after"])
        if "starts_before" in params:
            webinars = webinars.filter(starts_at__lt=params["starts_before"])
        if "partner" in params:
            webinars = webinars.filter(pk__in=Webinar.objects.filter(partners=params["partner"]).values("pk"))
        if "language" in params:
            webinars = webinars.filter(language=params["language"])
        return webinars.order_by("-starts_at", "pk")


class WebinarDetail(generics.RetrieveAPIView[Webinar]):
    """One webinar; 404 when it is not public and not the caller's."""

    serializer_class = WebinarSerializer
    permission_classes = PUBLIC

    def get_queryset(self) -> QuerySet[Webinar]:
        return _webinars(self.request.user)


# --- Registrations -------------------------------------------------------------------------------


class RegistrationSerializer(serializers.Serializer[Registration]):
    id = serializers.IntegerField()
    webinar = serializers.IntegerField(source="webinar_id")
    status = serializers.ChoiceField(choices=Registration.Status.choices)
    email = serializers.CharField(source="person.email", allow_null=True)
    name = serializers.CharField(
        source="shown_name", help_text="The directory's name if your scope covers the person, else the name as entered"
    )
    first_name = serializers.SerializerMethodField()
    last_name = serializers.SerializerMethodField()
    country = serializers.SerializerMethodField()
    language = serializers.CharField()
    answers = serializers.DictField(child=serializers.CharField(allow_blank=True))
    created_at = serializers.DateTimeField()
    waitlisted_at = serializers.DateTimeField(allow_null=True)
    cancelled_at = serializers.DateTimeField(allow_null=True)
    join_url = serializers.SerializerMethodField()

    def get_first_name(self, registration: Registration) -> str:
        """The directory's first name, or the whole name as entered for a person outside the caller's scope."""
        return registration.person.first_name if registration.person_visible else registration.shown_name  # type: ignore[attr-defined]  # annotated by shown_to

    def get_last_name(self, registration: Registration) -> str:
        return registration.person.last_name if registration.person_visible else ""  # type: ignore[attr-defined]  # annotated by shown_to

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_country(self, registration: Registration) -> str | None:
        """The member state as the caller may see it: the directory's within their scope, else as entered."""
        return registration.shown_member_state_code or None  # type: ignore[attr-defined]  # annotated by shown_to

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_join_url(self, registration: Registration) -> str | None:
        """The join link, only for the registrant's own confirmed place in a webinar still to be held
        (organisers reading the list need who registered, not each registrant's link)."""
        webinar = registration.webinar
        request = self.context.get("request")
        own = request is not None and registration.person_id == scope_for(request.user).person_id
        if own and registration.is_confirmed and webinar.status == Webinar.Status.PUBLISHED and webinar.join_url:
            return webinar.join_url
        return None


@extend_schema_field({"type": "boolean", "enum": [True]})
class ConsentField(serializers.BooleanField):
    """A yes that must be given: the schema says only `true` is accepted."""


class RegistrationInput(StrictSerializer):
    """What the web form asks. Without `email`, the caller registers themselves."""

    email = serializers.EmailField(required=False, max_length=254, help_text="Defaults to the caller's own")
    first_name = TextField(required=False, max_length=100)
    last_name = TextField(required=False, max_length=100, allow_blank=True)
    # The member states' codes, so the schema lists them (an unknown code is a schema error, not a surprise).
    country = serializers.ChoiceField(
        choices=sorted(OAS_MEMBER_STATES), required=False, help_text="Member state code, e.g. JM"
    )
    position = TextField(required=False, max_length=200, allow_blank=True)
    language = serializers.ChoiceField(choices=LANGUAGE_CODES, required=False)
    answers = serializers.DictField(
        child=TextField(max_length=1000, allow_blank=True),
        required=False,
        help_text="Answers to the webinar's questions, by question id",
    )
    consent = ConsentField(help_text="Consent to the privacy notice; must be true")

    def validate_country(self, code: str) -> MemberState:
        return MemberState.objects.get(code=code)

    def validate_consent(self, value: bool) -> bool:
        if not value:
            raise ValidationError(_("Registration needs your consent to the privacy notice."))
        return value


class RegistrationFilter(serializers.Serializer[dict[str, Any]]):
    webinar = IdField(required=False)
    status = serializers.ChoiceField(choices=Registration.Status.choices, required=False)


def _registrations(user: Viewer) -> QuerySet[Registration]:
    """What the caller may read, each with the name they may see (`Registration.objects.shown_to`)."""
    rows = Registration.objects.for_user(user).shown_to(user)
    return rows.select_related("webinar", "person__member_state").order_by("pk")


def _registrant(request: Request, webinar: Webinar, data: dict[str, Any]) -> dict[str, Any]:
    """Who is being registered. Staff and the co-organising partners may register anyone; anyone
    else only themselves (403 otherwise), and their person's details fill in what is not given."""
    person = getattr(request.user, "person", None)
    email = data.get("email")
    own = person is not None and (email is None or normalise_email(email) == normalise_email(person.email))
    if not own:
        try:
            services.check_may_register(webinar, user=request.user, email=email or "")
        except services.RegisteringSomeoneElse as error:
            raise PermissionDenied(str(error)) from error
    details: dict[str, Any] = {"email": email, "first_name": "", "last_name": "", "country": None, "position": ""}
    if own and person is not None:
        details.update(
            email=person.email,
            first_name=person.first_name,
            last_name=person.last_name,
            country=person.member_state,
            position=person.position,
        )
    details.update({key: data[key] for key in details if key in data})
    missing = [key for key in ("email", "first_name", "country") if not details[key]]
    if missing:
        required = str(serializers.Field.default_error_messages["required"])  # DRF's own, translated
        raise ValidationError({key: [required] for key in missing})
    return details


def _answers(webinar: Webinar, given: dict[str, str]) -> dict[str, str]:
    """The answers keyed by question id, as the web form stores them; required ones must be there."""
    questions = {str(q.pk): q for q in webinar.questions.all()}
    errors = {f"answers.{key}": [_("Not a question of this webinar.")] for key in given if key not in questions}
    for key, question in questions.items():
        if question.required and not given.get(key, "").strip():
            errors[f"answers.{key}"] = [_("This question needs an answer.")]
    if errors:
        raise ValidationError(errors)
    return {key: given.get(key, "") for key in questions}


class WebinarRegistrations(generics.ListCreateAPIView[Registration]):
    """GET: the webinar's registrations the caller may see (staff and co-organising partners: all;
    anyone else: their own). POST: register (needs a write token)."""

    permission_classes = SIGNED_IN

    def get_serializer_class(self) -> type[serializers.Serializer[Any]]:
        return RegistrationInput if self.request.method == "POST" else RegistrationSerializer

    def webinar(self, queryset: QuerySet[Webinar]) -> Webinar:
        return get_object_or_404(queryset, pk=self.kwargs["pk"])

    def get_queryset(self) -> QuerySet[Registration]:
        webinar = self.webinar(Webinar.objects.visible_to(self.request.user))
        return _registrations(self.request.user).filter(webinar=webinar)

    @extend_schema(
        request=RegistrationInput,
        responses={201: RegistrationSerializer, 200: RegistrationSerializer},
        description="201 with a new registration (a seat or the waitlist); 200 with the existing one "
        "when the person had already registered.",
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        webinar = self.webinar(Webinar.objects.public())
        serializer = RegistrationInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        details = _registrant(request, webinar, data)
        details["member_state"] = details.pop("country")  # the API publishes the member state as `country`
        language = data.get("language") or _language(request)
        try:
            outcome = services.register_for_webinar(
                webinar,
                acting_user=request.user,
                language=language,
                answers=_answers(webinar, data.get("answers", {})),
                consent=data["consent"],
                **details,
            )
        except services.WebinarError as error:
            raise ValidationError([str(error)]) from error
        registration = _registrations(request.user).get(pk=outcome.registration.pk)
        body = dict(RegistrationSerializer(registration, context=self.get_serializer_context()).data)
        if not Person.objects.for_user(request.user).filter(pk=registration.person_id).exists():
            body.update(_as_given(details))  # found by email: the directory's record is not the caller's to read
        return Response(body, status=status.HTTP_201_CREATED if outcome.created else status.HTTP_200_OK)


def _as_given(details: dict[str, Any]) -> dict[str, Any]:
    """The registrant as the caller described them (what a partner registering someone by email may
    be told back: never what the directory knows about the person the address belongs to)."""
    country = details.get("member_state")
    return {
        "email": details["email"],
        "name": f"{details['first_name']} {details['last_name']}".strip(),
        "first_name": details["first_name"],
        "last_name": details["last_name"],
        "country": country.code if country else None,
    }


def _language(request: Request) -> str:
    """The caller's preferred language, else the request's, for the registrant's messages."""
    person = getattr(request.user, "person", None)
    if person is not None and person.preferred_language in LANGUAGE_CODES:
        return str(person.preferred_language)
    language = (getattr(request, "LANGUAGE_CODE", "") or settings.LANGUAGE_CODE).split("-")[0]
    return language if language in LANGUAGE_CODES else settings.LANGUAGE_CODE


@extend_schema(parameters=[RegistrationFilter])
class RegistrationList(generics.ListAPIView[Registration]):
    """Every registration the caller may see: their own; a partner's co-organised webinars'; staff all."""

    serializer_class = RegistrationSerializer
    permission_classes = SIGNED_IN

    def get_queryset(self) -> QuerySet[Registration]:
        params = query_params(self.request, RegistrationFilter)
        registrations = _registrations(self.request.user)
        if "webinar" in params:
            registrations = registrations.filter(webinar_id=params["webinar"])
        if "status" in params:
            registrations = registrations.filter(status=params["status"])
        return registrations


class RegistrationDetail(generics.RetrieveAPIView[Registration]):
    serializer_class = RegistrationSerializer
    permission_classes = SIGNED_IN

    def get_queryset(self) -> QuerySet[Registration]:
        return _registrations(self.request.user)


class RegistrationCancel(generics.GenericAPIView[Registration]):
    """Cancel a registration (one's own, or as staff or co-organising partner); the waitlist moves up."""

    serializer_class = RegistrationSerializer
    permission_classes = SIGNED_IN

    def get_queryset(self) -> QuerySet[Registration]:
        return _registrations(self.request.user)

    @extend_schema(request=None, responses={200: RegistrationSerializer})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        registration = self.get_object()
        if registration.person_id != scope_for(request.user).person_id:
            managed = Webinar.objects.managed_by(request.user).filter(pk=registration.webinar_id)
            if not managed.exists():
                raise PermissionDenied(_("Only the registrant or the organisers may cancel a registration."))
        try:
            services.cancel_registration(registration, acting_user=request.user)
        except services.WebinarError as error:
            raise ValidationError([str(error)]) from error
        return Response(self.get_serializer(self.get_queryset().get(pk=registration.pk)).data)
