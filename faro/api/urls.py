"""/api/v1/: the schema, the docs, and each app's endpoints (defined in that app's api.py)."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from faro.api import (
    schema,  # noqa: F401 — registers the token scheme with drf-spectacular
    views,
)
from faro.certificates import api as certificates_api
from faro.courses import api as courses_api
from faro.directory import api as directory_api
from faro.meetings import api as meetings_api
from faro.reports import api as reports_api
from faro.scholarships import api as scholarships_api
from faro.webinars import api as webinars_api

app_name = "api"
# `schema` is imported here, not in the app's ready(): generating the schema walks this urlconf, which
# workers serving public pages never import (see faro.lib.urls).
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.revoke_token, name="token_revoke"),
    path("webhooks/", views.webhooks, name="webhooks"),
    path("webhooks/<int:pk>/test/", views.test_webhook, name="webhook_test"),
    path("webhooks/<int:pk>/cancel/", views.cancel_webhook, name="webhook_cancel"),
    path("member-states/", directory_api.MemberStateList.as_view(), name="member_states"),
    path("people/", directory_api.PersonList.as_view(), name="people"),
    path("people/<int:pk>/", directory_api.PersonDetail.as_view(), name="person"),
    path("meetings/", meetings_api.MeetingList.as_view(), name="meetings"),
    path("meetings/<int:pk>/", meetings_api.MeetingDetail.as_view(), name="meeting"),
    path("courses/", courses_api.CourseList.as_view(), name="courses"),
    path("courses/<int:pk>/", courses_api.CourseDetail.as_view(), name="course"),
    path("offerings/", courses_api.OfferingList.as_view(), name="offerings"),
    path("offerings/<int:pk>/", courses_api.OfferingDetail.as_view(), name="offering"),
    path("offerings/<int:pk>/enrolments/", courses_api.OfferingEnrolments.as_view(), name="offering_enrolments"),
    path("offerings/<int:pk>/completions/", courses_api.OfferingCompletions.as_view(), name="offering_completions"),
    path("enrolments/", courses_api.EnrolmentList.as_view(), name="enrolments"),
    path("enrolments/<int:pk>/", courses_api.EnrolmentDetail.as_view(), name="enrolment"),
    path("calls/", scholarships_api.CallList.as_view(), name="calls"),
    path("calls/<int:pk>/", scholarships_api.CallDetail.as_view(), name="call"),
    path("webinars/", webinars_api.WebinarList.as_view(), name="webinars"),
    path("webinars/<int:pk>/", webinars_api.WebinarDetail.as_view(), name="webinar"),
    path("webinars/<int:pk>/registrations/", webinars_api.WebinarRegistrations.as_view(), name="webinar_registrations"),
    path("registrations/", webinars_api.RegistrationList.as_view(), name="registrations"),
    path("registrations/<int:pk>/", webinars_api.RegistrationDetail.as_view(), name="registration"),
    path("registrations/<int:pk>/cancel/", webinars_api.RegistrationCancel.as_view(), name="registration_cancel"),
    path("certificates/", certificates_api.CertificateList.as_view(), name="certificates"),
    path("certificates/verify/<str:code>/", certificates_api.VerifyCertificate.as_view(), name="certificate_verify"),
    path("reports/figures/", reports_api.ReportFigures.as_view(), name="report_figures"),
    path("reports/impact/", reports_api.ImpactFigures.as_view(), name="report_impact"),
    re_path(r"^(?P<path>[\s\S]*)$", views.not_found),  # keep last; [\s\S]: paths with newlines too
]
