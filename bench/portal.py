"""Benchmark: mailing segments, previews and delivery for 10,000 people; catalogue search; home size.

    .venv/bin/python bench/portal.py

Runs on a throw-away SQLite database (or DATABASE_URL if set). Mail goes to Django's in-memory
backend, so delivery time is Faro's own work (rendering, headers, bookkeeping), not the network.
"""

import datetime
import gzip
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "faro.settings")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")

import django

django.setup()

from django.core import mail  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from django.test import Client  # noqa: E402

from faro.core.fields import Translated  # noqa: E402
from faro.core.models import Job  # noqa: E402
from faro.directory.models import MemberState, Person  # noqa: E402
from faro.portal import activity_sources as sources  # noqa: E402
from faro.portal.activity_queries import ActivityFilter, search_catalogue  # noqa: E402
from faro.portal.activity_sources import Activity, Source  # noqa: E402
from faro.portal.models import Mailing, Profile  # noqa: E402
from faro.portal.services.mailings import preview_mailing, save_mailing, send_mailing  # noqa: E402

PEOPLE = 10_000


def timed(label: str, work: object) -> object:
    began = time.perf_counter()
    result = work()  # type: ignore[operator]
    print(f"{label}: {time.perf_counter() - began:.2f} s")
    return result


def make_people() -> None:
    rng = random.Random(2020)
    states = list(MemberState.objects.all())
    people = [
        Person(
            first_name=f"Oficial {i}",
            last_name="Pérez",
            email=f"oficial{i}@puerto.example",
            member_state=rng.choice(states),
            preferred_language=rng.choice(["en", "es", "es", "pt", "fr"]),
        )
        for i in range(PEOPLE)
    ]
    Person.objects.bulk_create(people, batch_size=1000)
    profiles = [Profile(person=p, wants=["news"] if p.pk % 10 == 0 else ["news", "webinars"]) for p in people]
    Profile.objects.bulk_create(profiles, batch_size=1000)


class BenchSource(Source):
    kind = "webinar"

    def available(self) -> bool:
        return True

    def activities(self) -> list[Activity]:
        start = datetime.date.today()
        return [
            Activity(
                kind="webinar",
                key=f"w-{i}",
                title=Translated(
                    {"en": f"Port security {i}", "es": f"Protección portuaria {i}", "fr": f"Sûreté portuaire {i}"}
                ),
                start=start + datetime.timedelta(days=i % 300),
                end=None,
                url=f"/w/{i}/",
            )
            for i in range(2000)
        ]


def send_in_transaction(mailing: Mailing) -> None:
    with transaction.atomic():  # delivery runs on commit, as in a request
        send_mailing(mailing, acting_user=None)


def main() -> None:
    call_command("migrate", verbosity=0)
    mail.outbox = []
    timed(f"create {PEOPLE:,} people with profiles", make_people)
    mailing = save_mailing(
        Mailing(),
        acting_user=None,
        subject=Translated({"en": "Hi", "es": "Hola"}),
        body=Translated({"en": "Body", "es": "Texto"}),
        category="webinars",
        segment={"everyone": True},
    )
    preview = timed("segment count + preview per language", lambda: preview_mailing(mailing))
    print(f"  recipients: {preview.count:,}; falling back: {preview.missing_languages}")  # type: ignore[attr-defined]
    timed(f"send to {preview.count:,} (freeze + deliver)", lambda: send_in_transaction(mailing))  # type: ignore[attr-defined]
    print(f"  delivered: {len(mail.outbox):,}; job: {Job.objects.get().message}")
    sources.REGISTERED[:] = [BenchSource()]
    found = timed("search 2,000 activities (accent-free)", lambda: search_catalogue(ActivityFilter(q="PROTECCION 19")))
    print(f"  matches: {len(found)}")  # type: ignore[arg-type]
    html = Client().get("/").content
    css = sum(len(gzip.compress(p.read_bytes())) for p in Path("faro").glob("*/static/*/*.css"))
    print(f"home page: {len(gzip.compress(html)) / 1024:.1f} KB gzipped + CSS {css / 1024:.1f} KB")


if __name__ == "__main__":
    main()
