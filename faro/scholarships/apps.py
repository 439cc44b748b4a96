from django.apps import AppConfig


class ScholarshipsConfig(AppConfig):
    name = "faro.scholarships"
    label = "scholarships"
