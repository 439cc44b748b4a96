from django.urls import path

from faro.webinars import views, views_manage

app_name = "webinars"
urlpatterns = [
    path("", views.webinar_list, name="webinars"),
    path("<int:pk>/", views.webinar_detail, name="webinar"),
    path("<int:pk>/register/", views.register, name="registration_create"),
    path("<int:pk>/register/sent/", views.registration_sent, name="registration_sent"),
    path("<int:pk>/calendar.ics", views.webinar_ics, name="webinar_ics"),
    path("registration/<str:token>/", views.registration_page, name="registration"),
    path("registration/<str:token>/cancel/", views.cancel_registration, name="registration_cancel"),
    path("survey/<str:token>/", views.survey, name="survey"),
    path("manage/", views_manage.manage_list, name="manage_webinars"),
    path("manage/new/", views_manage.manage_edit, name="webinar_create"),
    path("manage/<int:pk>/", views_manage.manage_detail, name="manage_webinar"),
    path("manage/<int:pk>/edit/", views_manage.manage_edit, name="webinar_edit"),
    path("manage/<int:pk>/status/", views_manage.manage_status, name="webinar_status"),
    path("manage/<int:pk>/cancel/", views_manage.manage_cancel, name="webinar_cancel"),
    path("manage/<int:pk>/registrants/", views_manage.manage_registrants, name="manage_registrants"),
    path("manage/<int:pk>/attendance/", views_manage.manage_attendance, name="manage_attendance"),
    path("manage/<int:pk>/attendance/import/", views_manage.manage_import, name="attendance_import"),
    path(
        "manage/<int:pk>/attendance/samples/<slug:sample>.csv",
        views_manage.manage_import_sample,
        name="attendance_import_sample",
    ),
    path(
        "manage/<int:pk>/attendance/import/<int:upload_pk>/",
        views_manage.manage_import_preview,
        name="attendance_import_preview",
    ),
    path("manage/<int:pk>/survey/", views_manage.manage_survey, name="manage_survey"),
]
