"""Carry each session's free-text chairs and speakers over to SessionRole rows, one per name.

The text fields held lists typed by staff ("Argentina", "CIP Secretariat, APN"): the names are
split on commas, semicolons and new lines and kept as guests' names, in order. Backwards, the
names are joined again with commas (participants by their full name).
"""

import re
from typing import Any

from django.db import migrations

SEPARATORS = re.compile(r"[,;\n]")


def split_names(text: str) -> list[str]:
    """The names in a free-text list, without blanks."""
    return [name.strip() for name in SEPARATORS.split(text) if name.strip()]


def forwards(apps: Any, schema_editor: Any) -> None:
    Session = apps.get_model("meetings", "Session")
    SessionRole = apps.get_model("meetings", "SessionRole")
    roles = []
    for session in Session.objects.exclude(chairs="", speakers="").order_by("pk"):
        for role, text in [("chair", session.chairs), ("speaker", session.speakers)]:
            names = split_names(text)
            roles += [SessionRole(session=session, role=role, name=name[:200], order=n) for n, name in enumerate(names)]
    SessionRole.objects.bulk_create(roles)


def backwards(apps: Any, schema_editor: Any) -> None:
    Session = apps.get_model("meetings", "Session")
    SessionRole = apps.get_model("meetings", "SessionRole")
    texts: dict[int, dict[str, list[str]]] = {}
    for item in SessionRole.objects.select_related("person").order_by("session", "role", "order", "pk"):
        name = f"{item.person.first_name} {item.person.last_name}".strip() if item.person else item.name
        texts.setdefault(item.session_id, {"chair": [], "speaker": []})[item.role].append(name)
    for pk, names in texts.items():
        Session.objects.filter(pk=pk).update(
            chairs=", ".join(names["chair"])[:300], speakers=", ".join(names["speaker"])[:500]
        )


class Migration(migrations.Migration):
    dependencies = [("meetings", "0003_add_session_roles")]
    operations = [migrations.RunPython(forwards, backwards)]
