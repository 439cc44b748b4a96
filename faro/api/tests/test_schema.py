"""The OpenAPI schema is valid, without generator warnings, and documents errors everywhere."""

from pathlib import Path

import yaml
from django.core.management import call_command


def test_the_schema_is_valid_openapi_without_warnings(tmp_path: Path, db: None) -> None:
    out = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    schema = yaml.safe_load(out.read_text())
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert {"400", "401", "404"} <= set(operation["responses"]), f"{method} {path}"
