"""Close the open scholarship calls whose deadline has passed, as staff would by hand.

Idempotent: run it from cron as often as you like (`python manage.py close_overdue_calls`).
"""

from typing import Any

from django.core.management.base import BaseCommand

from faro.scholarships.services import close_overdue_calls


class Command(BaseCommand):
    help = "Close open scholarship calls past their deadline (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        count = close_overdue_calls()
        self.stdout.write(f"{count} call(s) closed.")
