from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "faro.api"
    label = "api"

    def ready(self) -> None:
        from faro.api.services import queue_deliveries
        from faro.core.events import subscribe

        subscribe(queue_deliveries)
