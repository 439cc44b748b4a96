"""Read a Zoom or Teams attendance export; with --parse-only, just show what was understood.

python manage.py import_attendance --parse-only FILE [--json]
python manage.py import_attendance WEBINAR_ID FILE [--dry-run] [--json]
"""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from faro.webinars.attendance import ParsedReport, UnknownFormat, parse_attendance, report_to_json


class Command(BaseCommand):
    help = "Parse (and import into a webinar) a Zoom webinar/meeting or Microsoft Teams attendance export."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("target", nargs="*", metavar="WEBINAR_ID FILE", help="webinar to import into, and file")
        parser.add_argument("--parse-only", metavar="FILE", help="only parse FILE and report what was read")
        parser.add_argument("--dry-run", action="store_true", help="preview the import without writing")
        parser.add_argument("--json", action="store_true", help="print the result as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["parse_only"]:
            report = self._parse(options["parse_only"])
            self._print(report, as_json=options["json"])
            return
        if len(options["target"]) != 2:
            raise CommandError("give --parse-only FILE, or WEBINAR_ID FILE", returncode=2)
        webinar_id, path = options["target"]
        self._parse(path)  # an unreadable or unknown file stops here, with the parser's message
        self._import(webinar_id, Path(path), dry_run=options["dry_run"], as_json=options["json"])

    def _parse(self, path: str) -> ParsedReport:
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror}", returncode=2) from exc
        try:
            return parse_attendance(data, filename=Path(path).name)
        except UnknownFormat as exc:
            raise CommandError(str(exc), returncode=2) from exc

    def _import(self, webinar_id: str, path: Path, *, dry_run: bool, as_json: bool) -> None:
        from faro.core.imports import ImportRejected
        from faro.webinars.models import Webinar
        from faro.webinars.services import WebinarError
        from faro.webinars.services.attendance import import_attendance

        webinar = Webinar.objects.filter(pk=int(webinar_id)).first() if webinar_id.isdigit() else None
        if webinar is None:
            raise CommandError(f"no webinar with id {webinar_id}", returncode=2)
        try:
            plan = import_attendance(
                webinar, acting_user=None, data=path.read_bytes(), filename=path.name, dry_run=dry_run
            )
        except WebinarError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        except ImportRejected as exc:
            result = {
                "webinar": webinar.pk,
                "dry_run": dry_run,
                "imported": False,
                "errors": [error.as_dict() for error in exc.errors],
            }
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2) if as_json else str(exc))
            raise CommandError("nothing was imported: the file has errors", returncode=1) from exc
        result = {
            "webinar": webinar.pk,
            "dry_run": dry_run,
            "imported": not dry_run and not plan.already_imported,
            **plan.as_dict(),
        }
        if as_json:
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
            return
        self.stdout.write(", ".join(f"{key}: {value}" for key, value in result.items() if key != "errors"))

    def _print(self, report: ParsedReport, *, as_json: bool) -> None:
        if as_json:
            self.stdout.write(json.dumps(report_to_json(report), ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{report.format}: {report.rows} rows, {len(report.attendees)} people")
        for a in report.attendees:
            self.stdout.write(f"  {a.role:<9} {a.minutes:>4} min  {a.name} <{a.email or '-'}>")
        for error in report.errors:
            self.stdout.write(self.style.ERROR(f"  {error.message}"))
