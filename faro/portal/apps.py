from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "faro.portal"
    label = "portal"
