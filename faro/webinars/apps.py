from django.apps import AppConfig


class WebinarsConfig(AppConfig):
    name = "faro.webinars"
    label = "webinars"
