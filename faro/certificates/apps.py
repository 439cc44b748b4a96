from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "faro.certificates"
    label = "certificates"
