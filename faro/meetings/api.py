"""Meeting endpoints: the meetings the caller may see, with their agenda (public read).

The online link is left out: the meeting page shows it only to registered participants.
"""

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers

from faro.accounts.usertypes import Viewer
from faro.api.permissions import PUBLIC
from faro.api.serializers import IdField, InstitutionRefSerializer, TranslatedTextField, absolute_url, query_params
from faro.directory.models import PriorityArea
from faro.meetings.models import Meeting, MeetingQuerySet, Session

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


class PriorityAreaRefSerializer(serializers.Serializer[PriorityArea]):
    """A priority area of a plan of action, as a meeting mentions it."""

    id = serializers.IntegerField()
    number = serializers.IntegerField()
    name = TranslatedTextField()


class SessionSerializer(serializers.Serializer[Session]):
    id = serializers.IntegerField()
    title = TranslatedTextField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    room = serializers.CharField()
    chairs = serializers.SerializerMethodField()
    speakers = serializers.SerializerMethodField()

    def get_chairs(self, session: Session) -> list[str]:
        return [item.display_name for item in session.chairs()]

    def get_speakers(self, session: Session) -> list[str]:
        return [item.display_name for item in session.speakers()]


class MeetingSerializer(serializers.Serializer[Meeting]):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=Meeting.Kind.choices)
    title = TranslatedTextField()
    description = TranslatedTextField()
    status = serializers.ChoiceField(choices=Meeting.Status.choices)
    status_note = TranslatedTextField()
    mode = serializers.ChoiceField(choices=Meeting.Mode.choices)
    host_country = serializers.SerializerMethodField()
    host_institution = InstitutionRefSerializer(allow_null=True)
    city = serializers.CharField()
    venue = serializers.CharField()
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    time_zone = serializers.CharField()
    languages = serializers.ListField(child=serializers.CharField())
    priority_areas = PriorityAreaRefSerializer(many=True)
    sessions = SessionSerializer(many=True)
    url = serializers.SerializerMethodField()

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_host_country(self, meeting: Meeting) -> str | None:
        return meeting.host_country.code if meeting.host_country else None

    def get_url(self, meeting: Meeting) -> str:
        return absolute_url(self.context.get("request"), meeting.get_absolute_url())


class MeetingFilter(serializers.Serializer[dict[str, Any]]):
    kind = serializers.ChoiceField(choices=Meeting.Kind.choices, required=False)
    status = serializers.ChoiceField(choices=Meeting.Status.choices, required=False)
    year = serializers.IntegerField(required=False, min_value=1900, max_value=2999, help_text="Year of the first day")
    host_country = serializers.CharField(required=False, max_length=2, help_text="Member state code, e.g. PA")
    starts_after = serializers.DateField(required=False)
    language = serializers.ChoiceField(choices=LANGUAGE_CODES, required=False, help_text="Held in this language")
    priority_area = IdField(required=False, help_text="A priority area's id")


def _meetings(user: Viewer) -> MeetingQuerySet:
    return (
        Meeting.objects.for_user(user)
        .select_related("host_country", "host_institution")
        .prefetch_related("sessions__roles__person", "priority_areas")
        .order_by("-start_date", "pk")
    )


@extend_schema(parameters=[MeetingFilter])
class MeetingList(generics.ListAPIView[Meeting]):
    """Meetings, latest first: public ones, plus those the caller takes part in (staff: all)."""

    serializer_class = MeetingSerializer
    permission_classes = PUBLIC

    def get_queryset(self) -> QuerySet[Meeting]:
        params = query_params(self.request, MeetingFilter)
        meetings = _meetings(self.request.user)
        if "kind" in params:
            meetings = meetings.filter(kind=params["kind"])
        if "status" in params:
            meetings = meetings.filter(status=params["status"])
        if "year" in params:
            meetings = meetings.filter(start_date__year=params["year"])
        if "host_country" in params:
            meetings = meetings.filter(host_country__code=params["host_country"].upper())
        if "starts_after" in params:
            meetings = meetings.filter(start_date__gte=params["starts_after"])
        if "language" in params:
            meetings = meetings.in_language(params["language"])
        if "priority_area" in params:
            meetings = meetings.filter(
                pk__in=Meeting.objects.filter(priority_areas=params["priority_area"]).values("pk")
            )
        return meetings


class MeetingDetail(generics.RetrieveAPIView[Meeting]):
    serializer_class = MeetingSerializer
    permission_classes = PUBLIC

    def get_queryset(self) -> QuerySet[Meeting]:
        return _meetings(self.request.user)
