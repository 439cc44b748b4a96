from django.apps import AppConfig


class CoursesConfig(AppConfig):
    name = "faro.courses"
    label = "courses"
