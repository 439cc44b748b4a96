"""Record bounces from delivery status notifications (RFC 3464) in an mbox file or one .eml."""

import mailbox
from email import message_from_binary_file, policy
from email.message import Message
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from faro.portal.services.mailings import record_bounce


def failed_recipients(message: Message) -> list[tuple[str, str]]:
    """(address, status and diagnostic) for each permanently failed recipient of a DSN."""
    found = []
    for part in message.walk():
        if part.get_content_type() != "message/delivery-status":
            continue
        for block in part.get_payload() or []:
            if not isinstance(block, Message):
                continue
            action = str(block.get("Action", "")).strip().lower()
            recipient = str(block.get("Final-Recipient") or block.get("Original-Recipient") or "")
            address = recipient.split(";", 1)[-1].strip()
            if action == "failed" and address:
                detail = f"{block.get('Status', '')} {block.get('Diagnostic-Code', '')}".strip()
                found.append((address, detail))
    return found


def read_messages(path: Path) -> list[Message]:
    if path.suffix == ".eml":
        with path.open("rb") as handle:
            return [message_from_binary_file(handle, policy=policy.compat32)]
    return list(mailbox.mbox(str(path), create=False))


class Command(BaseCommand):
    help = "Read bounce reports (DSN) from an mbox or .eml file and stop mailings to the failed addresses."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("path", type=Path)

    def handle(self, *args: Any, path: Path, **options: Any) -> None:
        if not path.exists():
            raise CommandError(f"{path} does not exist")
        recorded = unknown = 0
        for message in read_messages(path):
            for address, detail in failed_recipients(message):
                if record_bounce(address, detail=detail):
                    recorded += 1
                else:
                    unknown += 1
        self.stdout.write(f"bounces recorded: {recorded}; unknown addresses: {unknown}")
