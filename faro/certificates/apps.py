from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "faro.certificates"
    label = "certificates"
    verbose_name = _("Certificates")

    def ready(self) -> None:
        from faro.certificates.programme_adapters import register_installed_programmes

        register_installed_programmes()
