from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "faro.reports"
    label = "reports"
