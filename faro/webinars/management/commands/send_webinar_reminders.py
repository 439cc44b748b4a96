"""Send the webinar reminders that are due (24 h and 1 h before). Safe to run every few minutes."""

from typing import Any

from django.core.management.base import BaseCommand

from faro.webinars.services import send_due_reminders


class Command(BaseCommand):
    help = "Send due webinar reminders (24 h and 1 h before). Idempotent; run it from cron every 5 minutes."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_due_reminders()
        self.stdout.write(f"{sent} reminder(s) sent.")
