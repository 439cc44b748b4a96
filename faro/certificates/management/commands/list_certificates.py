"""`python manage.py list_certificates --json [--limit N]`: certificates, newest first."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from faro.certificates.models import Certificate


class Command(BaseCommand):
    help = "List certificates (newest first): code, kind, holder, issue time, status."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="print a JSON array")
        parser.add_argument("--limit", type=int, default=None, help="at most N certificates")

    def handle(self, *args: Any, **options: Any) -> None:
        limit = options["limit"]
        if limit is not None and limit < 0:
            self.stderr.write("--limit must be zero or more")
            raise SystemExit(2)
        rows = Certificate.objects.order_by("-issued_at", "-pk")
        if limit is not None:
            rows = rows[:limit]
        data = [
            {
                "code": c.display_code,
                "kind": c.kind,
                "holder": c.holder_name,
                "issued_at": c.issued_at.isoformat(),
                "status": c.state,
            }
            for c in rows.only("code", "kind", "holder_name", "issued_at", "status", "expires_on")
        ]
        if options["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        for row in data:
            self.stdout.write(
                f"{row['code']}  {row['status']:<8}  {row['kind']:<22}  {row['issued_at'][:10]}  {row['holder']}"
            )
