"""/api/v1/: the schema, the docs, and each app's endpoints (defined in that app's api.py)."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from faro.api import views
from faro.directory import api as directory_api
from faro.meetings import api as meetings_api

app_name = "api"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.revoke_token, name="revoke_token"),
    path("webhooks/", views.webhooks, name="webhooks"),
    path("webhooks/<int:pk>/test/", views.test_webhook, name="test_webhook"),
    path("webhooks/<int:pk>/cancel/", views.cancel_webhook, name="cancel_webhook"),
    path("member-states/", directory_api.MemberStateList.as_view(), name="member_states"),
    path("people/", directory_api.PersonList.as_view(), name="people"),
    path("people/<int:pk>/", directory_api.PersonDetail.as_view(), name="person"),
    path("meetings/", meetings_api.MeetingList.as_view(), name="meetings"),
    path("meetings/<int:pk>/", meetings_api.MeetingDetail.as_view(), name="meeting"),
    re_path(r"^(?P<path>[\s\S]*)$", views.not_found),  # keep last; [\s\S]: paths with newlines too
]
