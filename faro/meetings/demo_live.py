"""Demo: a hemispheric conference ten weeks after the day the demo is loaded, mid-registration.

Member states are invited; Panama (the host) is accredited, Colombia has submitted its delegation,
and Jamaica's is a draft with its head of delegation only — for the demo focal point to complete
and submit. The agenda names participants and a guest as chairs and speakers. Found again by its
title, so loading the demo twice changes nothing; everything goes through the services.
"""

import datetime
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from faro.directory.models import MemberState, PriorityArea
from faro.meetings import services
from faro.meetings.demo import _delegation, find
from faro.meetings.models import Meeting

TITLE = {
    "en": "Hemispheric Conference on Port Resilience {year}",
    "es": "Conferencia Hemisférica sobre Resiliencia Portuaria {year}",
    "pt": "Conferência Hemisférica sobre Resiliência Portuária {year}",
    "fr": "Conférence hémisphérique sur la résilience portuaire {year}",
}
SESSIONS = [
    (0, "09:00", "10:00", {"en": "Opening", "es": "Apertura", "pt": "Abertura", "fr": "Ouverture"}),
    (
        0,
        "10:30",
        "13:00",
        {
            "en": "Ports after the pandemic: lessons learnt",
            "es": "Los puertos después de la pandemia: lecciones aprendidas",
            "pt": "Os portos depois da pandemia: lições aprendidas",
            "fr": "Les ports après la pandémie : leçons apprises",
        },
    ),
    (
        1,
        "09:00",
        "12:00",
        {
            "en": "Hurricane season and disaster risk",
            "es": "Temporada de huracanes y riesgo de desastres",
            "pt": "Temporada de furacões e risco de desastres",
            "fr": "Saison des ouragans et risque de catastrophes",
        },
    ),
]


def load(out: Callable[[str], None]) -> None:
    start = timezone.localdate() + datetime.timedelta(days=70)
    title = {language: text.format(year=start.year) for language, text in TITLE.items()}
    meeting = find(Meeting.Kind.CONFERENCE, title)
    if meeting is None:
        meeting = _conference(title, start)
    out(f"Meeting in preparation: “{title['en']}”, {meeting.delegations.count()} delegations registered.")


def _conference(title: dict[str, str], start: datetime.date) -> Meeting:
    meeting = services.create_meeting(
        acting_user=None,
        kind=Meeting.Kind.CONFERENCE,
        title=title,
        host_country=MemberState.objects.get(code="PA"),
        city="Panama City",
        start_date=start,
        end_date=start + datetime.timedelta(days=1),
        time_zone="America/Panama",
        mode=Meeting.Mode.HYBRID,
        online_link="https://meet.example.org/resilience",
        document_series="CIDI/CIP",
        languages=["es", "en"],
        priority_areas=PriorityArea.objects.filter(plan__start_year=2018, number__in=[3, 5]),
        description={
            "en": "Port authorities of the Americas on preparing for pandemics, hurricanes and other shocks.",
            "es": "Las autoridades portuarias de las Américas ante pandemias, huracanes y otras crisis.",
            "pt": "As autoridades portuárias das Américas diante de pandemias, furacões e outras crises.",
            "fr": "Les autorités portuaires des Amériques face aux pandémies, aux ouragans et à d’autres crises.",
        },
    )
    services.change_meeting_status(meeting, acting_user=None, status=Meeting.Status.CONFIRMED)
    services.invite_member_states(meeting, acting_user=None)
    host = _delegation(meeting, "PA", [(2040, "head"), (2041, "delegate")], "accredited")
    guest = _delegation(meeting, "CO", [(2060, "head"), (2061, "adviser")], "submitted")
    _delegation(meeting, "JM", [(2020, "head")], "draft")
    chair, speaker = host.participants.first(), guest.participants.first()
    for day, begins, ends, session_title in SESSIONS:
        roles: list[dict[str, Any]] = [
            {"role": "chair", "person": chair.person if chair else None, "name": ""},
            {"role": "speaker", "person": speaker.person if speaker else None, "name": ""},
            {"role": "speaker", "person": None, "name": "Guest speaker, Panama Canal Authority"},
        ]
        services.add_session(
            meeting,
            acting_user=None,
            title=session_title,
            day=start + datetime.timedelta(days=day),
            start=datetime.time.fromisoformat(begins),
            end=datetime.time.fromisoformat(ends),
            room="Sala Miraflores",
            roles=roles,
        )
    return meeting
