from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "faro.core"
    label = "core"
