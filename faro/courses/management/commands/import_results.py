"""Import course results (a Moodle gradebook or completion export, or a plain CSV) into an offering.

python manage.py import_results OFFERING_ID FILE [--dry-run] [--json] [--skip-errors] [--confirm]
    [--no-outcome keep|dropped|failed]

Prints {"rows": n, "results": [{"line", "email", "grade", "outcome", "previous", "changed"}],
"errors": [{"line", "message"}]}; exits 1 when nothing was imported because of errors.
"""

import io
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from faro.core.imports import ImportRejected
from faro.courses.importers import ResultsPreview
from faro.courses.models import Offering
from faro.courses.services import ConfirmationNeeded, import_results, preview_results


class Command(BaseCommand):
    help = "Import course results from a Moodle gradebook or completion export, or a plain CSV."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("offering_id", type=int)
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="preview only; write nothing")
        parser.add_argument("--json", action="store_true", help="print the preview as JSON")
        parser.add_argument("--skip-errors", action="store_true", help="import the rows without errors")
        parser.add_argument("--confirm", action="store_true", help="allow changing many recorded outcomes")
        parser.add_argument(
            "--no-outcome",
            choices=["keep", "dropped", "failed"],
            default="keep",
            help="what a row with neither grade nor completion means",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        offering = Offering.objects.select_related("course").filter(pk=options["offering_id"]).first()
        if offering is None:
            raise CommandError(f"no offering with id {options['offering_id']}", returncode=2)
        try:
            data = options["file"].read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {options['file']}: {exc.strerror}", returncode=2) from exc
        preview = preview_results(offering, io.BytesIO(data), no_outcome=options["no_outcome"])
        self._print(preview, as_json=options["json"])
        if options["dry_run"]:
            return
        try:
            counts = import_results(
                offering, preview, acting_user=None, skip_errors=options["skip_errors"], confirmed=options["confirm"]
            )
        except ConfirmationNeeded as exc:
            raise CommandError("nothing was imported: many recorded outcomes would change; add --confirm", 1) from exc
        except ImportRejected as exc:
            raise CommandError("nothing was imported: the file has errors", returncode=1) from exc
        if not options["json"]:
            self.stdout.write(", ".join(f"{outcome}: {n}" for outcome, n in counts.items()))

    def _print(self, preview: ResultsPreview, *, as_json: bool) -> None:
        body = preview.as_dict()
        if as_json:
            self.stdout.write(json.dumps(body, ensure_ascii=False, indent=2))
            return
        for row in preview.rows:
            self.stdout.write(f"  line {row.line}: {row.email} {row.grade} {row.previous} → {row.outcome}")
        for error in body["errors"]:  # type: ignore[attr-defined]  # the JSON body has a list of errors
            self.stderr.write(f"  line {error['line']}: {error['message']}")
