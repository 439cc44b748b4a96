from django.urls import path

from faro.core import views

app_name = "core"
urlpatterns = [
    path("<int:pk>/", views.job_progress, name="job"),
    path("<int:pk>/resume/", views.job_resume, name="job_resume"),
]
