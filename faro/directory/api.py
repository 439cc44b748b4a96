"""Directory endpoints: member states (public) and people (staff; focal points for their state)."""

from typing import Any

from django.db.models import Q, QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, permissions, serializers

from faro.api.serializers import clean_params
from faro.directory.models import MemberState, Person


class MemberStateSerializer(serializers.ModelSerializer[MemberState]):
    name = serializers.CharField(read_only=True)
    participating = serializers.SerializerMethodField()

    class Meta:
        model = MemberState
        fields = ["code", "iso3", "name", "participating"]

    def get_participating(self, state: MemberState) -> bool:
        return state.is_participating_on(self.context["today"])


class MemberStateList(generics.ListAPIView[MemberState]):
    """The 35 OAS member states, names in the language of `Accept-Language`."""

    serializer_class = MemberStateSerializer
    permission_classes = [permissions.AllowAny]
    queryset = MemberState.objects.prefetch_related("statuses")
    pagination_class = None

    def get_serializer_context(self) -> dict[str, Any]:
        from django.utils import timezone

        return {**super().get_serializer_context(), "today": timezone.localdate()}


class PersonSerializer(serializers.ModelSerializer[Person]):
    country = serializers.CharField(source="member_state.code", read_only=True, allow_null=True)
    institution: serializers.StringRelatedField[Any] = serializers.StringRelatedField(allow_null=True)

    class Meta:
        model = Person
        fields = [
            "id",
            "first_name",
            "last_name",
            "email",
            "country",
            "institution",
            "position",
            "position_level",
            "gender",
            "preferred_language",
        ]


@extend_schema(
    parameters=[
        OpenApiParameter("country", str, description="ISO code of a member state, e.g. JM"),
        OpenApiParameter("q", str, description="Search in names and email"),
    ]
)
class PersonList(generics.ListAPIView[Person]):
    """People the caller may see: staff everyone, a focal point their state's people."""

    serializer_class = PersonSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self) -> QuerySet[Person]:
        people = Person.objects.for_user(self.request.user).select_related("member_state", "institution")
        params = clean_params(self.request)
        if country := params.get("country"):
            people = people.filter(member_state__code=country.upper())
        if q := params.get("q"):
            people = people.filter(Q(first_name__icontains=q) | Q(last_name__icontains=q) | Q(email__icontains=q))
        return people.order_by("pk")


class PersonDetail(generics.RetrieveAPIView[Person]):
    serializer_class = PersonSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self) -> QuerySet[Person]:
        return Person.objects.for_user(self.request.user).select_related("member_state", "institution")
