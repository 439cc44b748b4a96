"""Expire unanswered offers past their deadline and promote the next waitlisted applicants.

Idempotent: run it from cron as often as you like (`python manage.py expire_offers`).
"""

from typing import Any

from django.core.management.base import BaseCommand

from faro.scholarships.services import expire_offers


class Command(BaseCommand):
    help = "Expire overdue scholarship offers and promote from the waitlists (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        count = expire_offers()
        self.stdout.write(f"{count} offer(s) expired.")
