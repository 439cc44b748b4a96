from django.urls import path

from faro.meetings import views, views_checkin, views_delegations, views_manage

app_name = "meetings"
urlpatterns = [
    path("", views.meeting_list, name="meetings"),
    path("<int:pk>/", views.meeting_detail, name="meeting"),
    path("documents/<int:pk>/<str:language>/", views.document_file, name="document_file"),
    # Focal points (their state's delegation) and partners (observers)
    path("delegations/", views_delegations.delegations, name="delegations"),
    path("<int:pk>/register/", views_delegations.register, name="delegation_register"),
    path("delegations/<int:pk>/", views_delegations.delegation, name="delegation"),
    path("delegations/<int:pk>/participants/", views_delegations.add_participant, name="participant_create"),
    path("participants/<int:pk>/remove/", views_delegations.remove_participant, name="participant_remove"),
    path("delegations/<int:pk>/credentials/upload/", views_delegations.upload_credentials, name="credentials_upload"),
    path("delegations/<int:pk>/credentials/", views_delegations.credentials, name="credentials"),
    path("delegations/<int:pk>/submit/", views_delegations.submit, name="delegation_submit"),
    # Staff
    path("manage/", views_manage.manage_list, name="manage_meetings"),
    path("manage/new/", views_manage.meeting_create, name="meeting_create"),
    path("manage/<int:pk>/", views_manage.manage, name="manage_meeting"),
    path("manage/<int:pk>/edit/", views_manage.meeting_edit, name="meeting_edit"),
    path("manage/<int:pk>/status/", views_manage.change_status, name="meeting_status"),
    path("manage/<int:pk>/invitations/", views_manage.invite, name="invitation_create"),
    path("manage/<int:pk>/observers/", views_manage.add_observers, name="observer_create"),
    path("manage/delegations/<int:pk>/", views_manage.review_delegation, name="delegation_review"),
    path("manage/<int:pk>/sessions/new/", views_manage.add_session, name="session_create"),
    path("manage/sessions/<int:pk>/", views_manage.edit_session, name="session_edit"),
    path("manage/<int:pk>/documents/new/", views_manage.add_document, name="document_create"),
    path("manage/documents/<int:pk>/", views_manage.document_files, name="document_files"),
    path("manage/<int:pk>/badges.pdf", views_checkin.badges, name="badges"),
    path("manage/<int:pk>/checkin/", views_checkin.checkin, name="checkin"),
    path("manage/<int:pk>/participants/", views_checkin.participants, name="participants"),
]
