"""`manage.py report --year 2020 [--json] [--language es]`: the year in numbers, counted now."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from faro.reports.audience import EVERYTHING
from faro.reports.figures import FIGURES, values_for
from faro.reports.periods import calendar_year
from faro.reports.wording import format_value, headline


class Command(BaseCommand):
    help = "Print a year's figures, computed from the records (never stored)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--json", action="store_true", help="Print one JSON object of figure → value.")
        parser.add_argument("--language", default="en", help="Language of the text output (en, es, pt, fr).")

    def handle(self, *args: Any, **options: Any) -> None:
        year = options["year"]
        if not 1990 <= year <= 2100:
            raise CommandError(f"Not a year Faro can report on: {year}")
        values = values_for(calendar_year(year), EVERYTHING)
        if options["json"]:
            self.stdout.write(json.dumps(values, indent=2))
            return
        with translation.override(options["language"]):
            self.stdout.write(headline(values))
            for key, value in values.items():
                self.stdout.write(f"{FIGURES[key].label}: {format_value(FIGURES[key], value)}")
