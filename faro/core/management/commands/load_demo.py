"""Load the demo: reference data, the 2020 programme and one account per role.

Each Faro app may have a `demo.py` with `load(out)`; they run in INSTALLED_APPS order
(directory before the programmes, programmes before certificates). Every step is
idempotent, so running the command again changes nothing. Mail is not sent.
A `load` may return closing lines (the demo logins); they are printed last, after the timings.
"""

import time
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

from faro.core.discovery import app_modules


class Command(BaseCommand):
    help = "Load (or refresh) the demo data. Idempotent."

    def handle(self, *args: Any, **options: Any) -> None:
        begun, closing = time.monotonic(), list[str]()
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            for config, module in app_modules("demo"):
                started = time.monotonic()
                with transaction.atomic():  # one commit per app, not one disk sync per service call
                    closing += module.load(self.stdout.write) or []
                self.stdout.write(f"  {config.label}: {time.monotonic() - started:.1f}s")
        self.stdout.write(f"Demo loaded in {time.monotonic() - begun:.1f}s.")
        for line in closing:
            self.stdout.write(line)
