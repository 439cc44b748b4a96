"""Hand over every due outbox message (mail, tasks) the broker has not taken. Safe to run from cron."""

from typing import Any

from django.core.management.base import BaseCommand

from faro.core.outbox import relay


class Command(BaseCommand):
    help = "Relay due outbox messages to the broker (or deliver them here when no broker is set)."

    def handle(self, *args: Any, **options: Any) -> None:
        count = relay()
        self.stdout.write(f"{count} outbox message(s) relayed.")
