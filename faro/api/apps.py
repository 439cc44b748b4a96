from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "faro.api"
    label = "api"

    def ready(self) -> None:
        import faro.api.schema  # noqa: F401 — registers the token scheme with drf-spectacular
        from faro.api.services import queue_deliveries
        from faro.core.events import subscribe

        subscribe(queue_deliveries)
