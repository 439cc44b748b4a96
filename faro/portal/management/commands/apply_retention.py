"""Apply the retention policy once (cron alternative to the Celery beat entry). Idempotent."""

from typing import Any

from django.core.management.base import BaseCommand

from faro.portal.services.privacy import apply_retention


class Command(BaseCommand):
    help = "Remove or anonymise records older than the retention policy allows. Safe to run repeatedly."

    def handle(self, *args: Any, **options: Any) -> None:
        for kind, count in apply_retention().items():
            self.stdout.write(f"{kind}: {count}")
