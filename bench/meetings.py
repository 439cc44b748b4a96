"""Meetings benchmark: a Regular Meeting with 30 delegations of 10 people each.

Times badge printing, the list of participants (PDF, XLSX), check-in of everyone and document
numbering. Runs on a throw-away SQLite database unless DATABASE_URL is set.
Usage: .venv/bin/python bench/meetings.py
"""

import datetime
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
_tmp = tempfile.mkdtemp(prefix="faro-bench-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{_tmp}/bench.sqlite3")
os.environ.setdefault("MEDIA_ROOT", f"{_tmp}/media")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "faro.settings")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")

import django  # noqa: E402

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402

STATES = 30
PEOPLE = 10


def timed(label: str, action: Callable[[], Any]) -> Any:
    started = time.perf_counter()
    result = action()
    print(f"{label:<48} {time.perf_counter() - started:8.2f} s")
    return result


def main() -> None:
    call_command("migrate", verbosity=0)
    from faro.directory.models import MemberState
    from faro.meetings import printing, services
    from faro.meetings.models import Meeting, Participant

    meeting = services.create_meeting(
        acting_user=None,
        kind=Meeting.Kind.REGULAR,
        title={"en": "Bench meeting"},
        start_date=datetime.date(2030, 5, 19),
        end_date=datetime.date(2030, 5, 21),
    )
    states = list(MemberState.objects.participating_on(meeting.start_date)[:STATES])
    pdf = b"%PDF-1.4\n%bench\n"

    def register() -> None:
        for state in states:
            delegation = services.register_delegation(meeting, acting_user=None, member_state=state)
            for n in range(PEOPLE):
                services.add_participant(
                    delegation,
                    acting_user=None,
                    first_name=f"Name{n}",
                    last_name=f"{state.code}Person",
                    role="head" if n == 0 else "delegate",
                )
            services.upload_credentials(delegation, acting_user=None, upload=SimpleUploadedFile("c.pdf", pdf))
            services.submit_delegation(delegation, acting_user=None)
            services.accredit_delegation(delegation, acting_user=None)

    timed(f"register+accredit {len(states)} delegations × {PEOPLE}", register)
    badges = timed("badges PDF (8 per A4 page)", lambda: printing.badges_pdf(meeting, "fr"))
    print(f"  {len(badges) / 1024:.0f} KiB")
    timed("list of participants, PDF", lambda: printing.participants_pdf(meeting, "es"))
    timed("list of participants, XLSX", lambda: printing.participants_xlsx(meeting, "en"))
    codes = list(Participant.objects.of_meeting(meeting).values_list("badge_code", flat=True))

    def check_everyone() -> None:
        for code in codes:
            services.check_in(services.find_badge(meeting, code), acting_user=None, day=meeting.start_date)

    timed(f"check in {len(codes)} badges", check_everyone)
    timed(f"check in {len(codes)} badges again (no-op)", check_everyone)
    timed("100 document numbers", lambda: [services.next_document_number("CIDI/CIP", 2030) for _n in range(100)])


if __name__ == "__main__":
    import shutil

    try:
        main()
    finally:
        shutil.rmtree(_tmp, ignore_errors=True)
