from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "faro.api"
    label = "api"
