from django.urls import path

from faro.courses import views, views_manage

app_name = "courses"
urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("<int:pk>/", views.course, name="course"),
    path("offerings/<int:pk>/", views.offering, name="offering"),
    path("manage/", views_manage.manage_courses, name="manage_courses"),
    path("manage/new/", views_manage.course_edit, name="course_create"),
    path("manage/<int:pk>/", views_manage.manage_course, name="manage_course"),
    path("manage/<int:pk>/edit/", views_manage.course_edit, name="course_edit"),
    path("manage/<int:pk>/offerings/new/", views_manage.offering_create, name="offering_create"),
    path("manage/offerings/<int:pk>/", views_manage.manage_offering, name="manage_offering"),
    path("manage/offerings/<int:pk>/contributions/new/", views_manage.contribution_add, name="contribution_create"),
    path("manage/offerings/<int:pk>/results/", views_manage.results_import, name="results_import"),
    path("manage/offerings/<int:pk>/results/commit/", views_manage.results_commit, name="results_commit"),
    path("manage/offerings/<int:pk>/results/template.csv", views_manage.results_template, name="results_template"),
]
