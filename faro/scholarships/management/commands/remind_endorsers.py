"""Remind focal points of applications still awaiting their endorsement, three days before the deadline.

Idempotent: each member state is reminded once per call (`python manage.py remind_endorsers`, hourly).
"""

from typing import Any

from django.core.management.base import BaseCommand

from faro.scholarships.services import remind_endorsers


class Command(BaseCommand):
    help = "Remind focal points of applications awaiting endorsement near the deadline (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        count = remind_endorsers()
        self.stdout.write(f"{count} member state(s) reminded.")
