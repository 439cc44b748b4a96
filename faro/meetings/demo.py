"""Demo: the XII Regular Meeting of the CIP (Buenos Aires, 19–21 May 2021) and a CECIP meeting
that was held, with check-ins. Idempotent; everything goes through the services."""

import datetime
import io
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from reportlab.pdfgen.canvas import Canvas

from faro.directory.demo_people import ensure_official
from faro.directory.models import Institution, MemberState, PriorityArea
from faro.meetings import services
from faro.meetings.models import Delegation, Meeting

XII_TITLE = {
    "en": "XII Regular Meeting of the CIP",
    "es": "XII Reunión Ordinaria de la CIP",
    "pt": "XII Reunião Ordinária da CIP",
    "fr": "XIIe Réunion ordinaire de la CIP",
}
CECIP_TITLE = {
    "en": "Meeting of the Executive Board (CECIP) 2020",
    "es": "Reunión del Comité Ejecutivo (CECIP) 2020",
    "pt": "Reunião do Comitê Executivo (CECIP) 2020",
    "fr": "Réunion du Comité exécutif (CECIP) 2020",
}
POSTPONEMENT = {
    "en": "Postponed because of the COVID-19 pandemic. New dates will be announced to every delegation.",
    "es": "Aplazada por la pandemia de COVID-19. Las nuevas fechas se comunicarán a todas las delegaciones.",
    "pt": "Adiada devido à pandemia de COVID-19. As novas datas serão comunicadas a todas as delegações.",
    "fr": "Reportée en raison de la pandémie de COVID-19. "
    "Les nouvelles dates seront communiquées à toutes les délégations.",
}
# Chairs and speakers: delegates as (country code, demo official), guests by name.
Who = tuple[str, int] | str
SESSIONS: list[tuple[int, str, str, str, list[Who], list[Who], dict[str, str]]] = [
    (
        0,
        "09:00",
        "10:00",
        "Salón Belgrano",
        [("AR", 2000)],
        [],
        {"en": "Opening session", "es": "Sesión inaugural", "pt": "Sessão de abertura", "fr": "Séance d’ouverture"},
    ),
    (
        0,
        "10:30",
        "13:00",
        "Salón Belgrano",
        [("AR", 2000)],
        ["CIP Secretariat"],
        {
            "en": "First plenary session: report of the CECIP",
            "es": "Primera sesión plenaria: informe de la CECIP",
            "pt": "Primeira sessão plenária: relatório da CECIP",
            "fr": "Première séance plénière : rapport du CECIP",
        },
    ),
    (
        1,
        "09:00",
        "12:30",
        "Sala 2",
        [("MX", 2030)],
        [("AR", 2003), ("PE", 2011)],
        {
            "en": "Technical Advisory Groups",
            "es": "Comités Técnicos Consultivos",
            "pt": "Grupos Técnicos Consultivos",
            "fr": "Groupes techniques consultatifs",
        },
    ),
    (
        1,
        "14:00",
        "17:00",
        "Salón Belgrano",
        [("PE", 2010)],
        ["Port authorities of the region"],
        {
            "en": "Hemispheric conference on port logistics",
            "es": "Conferencia hemisférica sobre logística portuaria",
            "pt": "Conferência hemisférica sobre logística portuária",
            "fr": "Conférence hémisphérique sur la logistique portuaire",
        },
    ),
    (
        2,
        "09:00",
        "12:00",
        "Salón Belgrano",
        [("AR", 2000)],
        [],
        {
            "en": "Plan of Action and election of the CECIP",
            "es": "Plan de Acción y elección de la CECIP",
            "pt": "Plano de Ação e eleição da CECIP",
            "fr": "Plan d’action et élection du CECIP",
        },
    ),
]
# Areas of the Mexico Plan of Action 2018–2020, the plan in force for both meetings: the Regular
# Meeting reviews the whole plan; the CECIP followed up logistics, port protection and policy.
XII_AREAS = [1, 2, 3, 4, 5, 6]
CECIP_AREAS = [1, 3, 4]
DOCUMENTS = [
    {"en": "Draft agenda", "es": "Proyecto de temario", "pt": "Projeto de temário", "fr": "Projet d’ordre du jour"},
    {
        "en": "Draft schedule",
        "es": "Proyecto de calendario",
        "pt": "Projeto de calendário",
        "fr": "Projet de calendrier",
    },
    {
        "en": "Draft resolution",
        "es": "Proyecto de resolución",
        "pt": "Projeto de resolução",
        "fr": "Projet de résolution",
    },
]


def _pdf(text: str, name: str) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    canvas.drawString(72, 760, text)
    canvas.save()
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/pdf")


def _areas(numbers: list[int]) -> list[PriorityArea]:
    return list(PriorityArea.objects.filter(plan__start_year=2018, number__in=numbers))


def _session_role(role: str, who: Who) -> dict[str, Any]:
    if isinstance(who, str):
        return {"role": role, "person": None, "name": who}
    return {"role": role, "person": ensure_official(*who), "name": ""}


def _delegation(meeting: Meeting, code: str, people: list[tuple[int, str]], status: str) -> Delegation:
    state = MemberState.objects.get(code=code)
    delegation = services.register_delegation(meeting, acting_user=None, member_state=state)
    for index, role in people:
        person = ensure_official(code, index)
        funded = role == "head" and meeting.mode != Meeting.Mode.VIRTUAL and meeting.host_country_id != state.pk
        services.add_participant(
            delegation,
            acting_user=None,
            first_name=person.first_name,
            last_name=person.last_name,
            role=role,
            email=person.email or "",
            travel_funded=funded,
            fare=Decimal("850.00"),
            per_diem=Decimal("247.00"),
            paid_by="CIP Secretariat (OAS)",
        )
    if status == "draft":
        return delegation
    services.upload_credentials(
        delegation, acting_user=None, upload=_pdf(f"Credentials {code}", f"credentials-{code}.pdf")
    )
    services.submit_delegation(delegation, acting_user=None)
    if status == "accredited":
        services.accredit_delegation(delegation, acting_user=None)
    elif status == "corrections":
        services.request_corrections(delegation, acting_user=None, message="Please sign the credentials letter.")
    return delegation


def _xii_meeting() -> Meeting:
    host, _created = Institution.objects.get_or_create(
        name="Administración General de Puertos",
        country_code="AR",
        defaults={"acronym": "AGP", "kind": Institution.Kind.PORT_AUTHORITY},
    )
    meeting = services.create_meeting(
        acting_user=None,
        kind=Meeting.Kind.REGULAR,
        title=XII_TITLE,
        host_country=MemberState.objects.get(code="AR"),
        city="Buenos Aires",
        host_institution=host,
        start_date=datetime.date(2021, 5, 19),
        end_date=datetime.date(2021, 5, 21),
        time_zone="America/Argentina/Buenos_Aires",
        mode=Meeting.Mode.ON_SITE,
        document_series="CIDI/CIP",
        languages=["es", "en", "pt", "fr"],
        priority_areas=_areas(XII_AREAS),
        description={
            "en": "The CIP's Regular Meeting, hosted by Argentina.",
            "es": "Reunión Ordinaria de la CIP, con Argentina como anfitriona.",
            "pt": "Reunião Ordinária da CIP, com a Argentina como anfitriã.",
            "fr": "Réunion ordinaire de la CIP, accueillie par l’Argentine.",
        },
    )
    services.invite_member_states(meeting, acting_user=None)
    _delegation(
        meeting, "AR", [(2000, "head"), (2001, "delegate"), (2002, "alternate"), (2003, "adviser")], "accredited"
    )
    _delegation(meeting, "PE", [(2010, "head"), (2011, "delegate")], "submitted")
    _delegation(meeting, "MX", [(2030, "head"), (2031, "adviser")], "corrections")
    _delegation(meeting, "JM", [(2020, "head")], "draft")
    for day, start, end, room, chairs, speakers, title in SESSIONS:
        roles = [_session_role("chair", who) for who in chairs] + [_session_role("speaker", who) for who in speakers]
        services.add_session(
            meeting,
            acting_user=None,
            title=title,
            day=meeting.start_date + datetime.timedelta(days=day),
            start=datetime.time.fromisoformat(start),
            end=datetime.time.fromisoformat(end),
            room=room,
            roles=roles,
        )
    documents = [
        services.add_document(
            meeting,
            acting_user=None,
            title=title,
            visibility="public",
            language="es",
            upload=_pdf(title["es"], "doc-es.pdf"),
        )
        for title in DOCUMENTS
    ]
    for language in ["en", "pt", "fr"]:
        upload = _pdf(DOCUMENTS[0][language], f"doc-{language}.pdf")
        services.add_document_language(documents[0], acting_user=None, language=language, upload=upload)
    services.revise_document(documents[0], acting_user=None, language="es", upload=_pdf("Temario rev.1", "rev1-es.pdf"))
    services.change_meeting_status(meeting, acting_user=None, status=Meeting.Status.POSTPONED, note=POSTPONEMENT)
    return meeting


def _cecip_meeting() -> Meeting:
    meeting = services.create_meeting(
        acting_user=None,
        kind=Meeting.Kind.CECIP,
        title=CECIP_TITLE,
        start_date=datetime.date(2020, 10, 27),
        end_date=datetime.date(2020, 10, 28),
        time_zone="America/New_York",
        mode=Meeting.Mode.VIRTUAL,
        online_link="https://meet.example.org/cecip-2020",
        document_series="CIDI/CECIP",
        languages=["es", "en"],
        priority_areas=_areas(CECIP_AREAS),
    )
    services.invite_member_states(meeting, acting_user=None)
    people = {"AR": [2000], "MX": [2030], "PA": [2040, 2041], "PE": [2010], "BB": [2050]}
    for code, indexes in people.items():
        roles = [(index, "head" if n == 0 else "delegate") for n, index in enumerate(indexes)]
        delegation = _delegation(meeting, code, roles, "accredited")
        for participant in delegation.participants.all():
            for day in meeting.days():
                services.check_in(participant, acting_user=None, day=day)
    services.add_document(
        meeting,
        acting_user=None,
        title={"en": "Agenda", "es": "Temario", "pt": "Pauta", "fr": "Ordre du jour"},
        visibility="delegations",
        language="es",
        upload=_pdf("Temario", "temario.pdf"),
    )
    services.change_meeting_status(meeting, acting_user=None, status=Meeting.Status.HELD)
    return meeting


def find(kind: str, title: dict[str, str]) -> Meeting | None:
    """The demo meeting of this kind with this English title (a key lookup on a TranslatedField fails)."""
    return next((m for m in Meeting.objects.filter(kind=kind) if m.title.get("en") == title["en"]), None)


def load(out: Callable[[str], None]) -> None:
    if not find(Meeting.Kind.REGULAR, XII_TITLE):
        _xii_meeting()
    if not find(Meeting.Kind.CECIP, CECIP_TITLE):
        _cecip_meeting()
    from faro.meetings import demo_live  # it builds on this module's helpers

    demo_live.load(out)
    out(f"Meetings: {Meeting.objects.count()} meetings, {Delegation.objects.count()} delegations.")
