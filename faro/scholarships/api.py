"""Scholarship endpoints: calls for applications (public read)."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers

from faro.accounts.usertypes import Viewer
from faro.api.permissions import PUBLIC
from faro.api.serializers import IdField, TranslatedTextField, absolute_url, query_params
from faro.scholarships.models import Call


class CallSerializer(serializers.Serializer[Call]):
    id = serializers.IntegerField()
    title = TranslatedTextField()
    description = TranslatedTextField()
    year = serializers.IntegerField()
    status = serializers.ChoiceField(choices=Call.Status.choices)
    open_now = serializers.SerializerMethodField()
    offerings = serializers.SerializerMethodField()
    eligible_states = serializers.SerializerMethodField()
    languages = serializers.ListField(child=serializers.CharField())
    required_documents = serializers.ListField(child=serializers.CharField())
    requires_endorsement = serializers.BooleanField()
    opens_at = serializers.DateTimeField()
    closes_at = serializers.DateTimeField()
    endorsement_deadline = serializers.DateTimeField(allow_null=True)
    results_on = serializers.DateField()
    accept_by = serializers.DateTimeField()
    start = serializers.DateField()
    end = serializers.DateField()
    url = serializers.SerializerMethodField()

    def get_open_now(self, call: Call) -> bool:
        return call.is_open_on()

    def get_offerings(self, call: Call) -> list[int]:
        return [offering.pk for offering in call.offerings.all()]

    def get_eligible_states(self, call: Call) -> list[str]:
        """Member state codes; empty means every member state."""
        return [state.code for state in call.eligible_states.all()]

    def get_url(self, call: Call) -> str:
        return absolute_url(self.context.get("request"), call.get_absolute_url())


class CallFilter(serializers.Serializer[dict[str, Any]]):
    status = serializers.ChoiceField(choices=Call.Status.choices, required=False)
    year = serializers.IntegerField(required=False, min_value=1900, max_value=2999)
    offering = IdField(required=False)


def _calls(user: Viewer) -> QuerySet[Call]:
    return Call.objects.for_user(user).prefetch_related("offerings", "eligible_states").order_by("-opens_at", "pk")


@extend_schema(parameters=[CallFilter])
class CallList(generics.ListAPIView[Call]):
    """Calls for scholarships, latest first (drafts only for staff and the partners running them)."""

    serializer_class = CallSerializer
    permission_classes = PUBLIC

    def get_queryset(self) -> QuerySet[Call]:
        params = query_params(self.request, CallFilter)
        calls = _calls(self.request.user)
        if "status" in params:
            calls = calls.filter(status=params["status"])
        if "year" in params:
            calls = calls.filter(year=params["year"])
        if "offering" in params:
            calls = calls.filter(pk__in=Call.objects.filter(offerings=params["offering"]).values("pk"))
        return calls


class CallDetail(generics.RetrieveAPIView[Call]):
    serializer_class = CallSerializer
    permission_classes = PUBLIC

    def get_queryset(self) -> QuerySet[Call]:
        return _calls(self.request.user)
