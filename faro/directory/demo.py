"""Demo: reference data, the 2020 partners and other institutions, port officials, appointments.

Idempotent: everything is looked up first and created through the services only when missing.
"""

import datetime
from collections.abc import Callable
from typing import Any

from django.apps import apps

from faro.directory import services
from faro.directory.demo_people import ensure_official, official, port_authority
from faro.directory.models import Appointment, Institution, Membership, MemberState, Person
from faro.directory.reference import load_reference_data

STRATEGIC_PARTNER = Membership.Kind.STRATEGIC_PARTNER
ASSOCIATE_MEMBER = Membership.Kind.ASSOCIATE_MEMBER

MembershipRow = tuple[str, str | None, str | None]
PARTNER: list[MembershipRow] = [(STRATEGIC_PARTNER, None, None)]


def associate(state: str, day: str) -> list[MembershipRow]:
    return [(ASSOCIATE_MEMBER, state, day)]


# (name, acronym, kind, country, website, memberships: [(kind, approving state, approved on)])
INSTITUTIONS: list[tuple[str, str, str, str, str, list[MembershipRow]]] = [
    ("Autoridad Portuaria Nacional", "APN", "port_authority", "PE", "https://www.gob.pe/apn", PARTNER),
    ("Red PBIP México (Mexico ISPS International Network)", "Red PBIP", "ngo", "MX", "", PARTNER),
    ("Fundación Valenciaport", "", "ngo", "ES", "https://fundacion.valenciaport.com", PARTNER),
    ("Puertos del Estado", "", "port_authority", "ES", "https://www.puertos.es", PARTNER),
    ("Comisión Económica para América Latina y el Caribe", "ECLAC/CEPAL", "international", "CL", "", PARTNER),
    ("International Association of Ports and Harbors", "IAPH", "international", "JP", "", PARTNER),
    ("Red Marítima Portuaria de Mujeres de Latinoamérica", "Red MAMLa", "ngo", "PA", "", PARTNER),
    ("Terminal Internacional del Sur", "TISUR", "port_operator", "PE", "", associate("PE", "2019-10-16")),
    ("Kingston Freeport Terminal Limited", "KFTL", "port_operator", "JM", "", associate("JM", "2018-11-08")),
    ("Universidad Marítima Internacional de Panamá", "UMIP", "academic", "PA", "", associate("PA", "2017-11-30")),
    (
        "Administración Portuaria Integral de Veracruz",
        "APIVER",
        "port_operator",
        "MX",
        "",
        associate("MX", "2016-10-27"),
    ),
    ("Port Management Association of the Caribbean", "PMAC", "ngo", "BB", "", []),
    ("Ministerio de Transportes y Comunicaciones", "MTC", "ministry", "PE", "", []),
]

# Officials per state: the larger port systems send more people to CIP training.
OFFICIALS_PER_STATE = {"MX": 14, "PE": 14, "BR": 12, "AR": 12, "CO": 12, "CL": 10, "PA": 10, "JM": 10, "US": 6, "CA": 6}
DEFAULT_OFFICIALS = 7
FOCAL_POINT_INDEX = 900  # official(code, 900) is each state's focal point
DELEGATE_INDEX = 901
APPOINTED_ON = datetime.date(2018, 11, 1)


def _institution(row: tuple[Any, ...]) -> Institution:
    name, acronym, kind, country, website, memberships = row
    institution = Institution.objects.filter(name__iexact=name, country_code=country).first()
    if institution is None:
        institution = services.create_institution(
            acting_user=None, name=name, acronym=acronym, kind=kind, country_code=country, website=website
        )
    for kind_, approving, approved_on in memberships:
        if not institution.memberships.filter(kind=kind_).exists():
            state = MemberState.objects.get(code=approving) if approving else None
            day = datetime.date.fromisoformat(approved_on) if approved_on else None
            start = day or datetime.date(2019, 1, 1)
            services.add_membership(
                institution, acting_user=None, kind=kind_, approving_state=state, approved_on=day, start=start
            )
    return institution


def _appoint(person: Person, state: MemberState, role: str) -> None:
    if not Appointment.objects.filter(person=person, member_state=state, role=role).exists():
        services.create_appointment(acting_user=None, person=person, member_state=state, role=role, start=APPOINTED_ON)


def _focal_point(state: MemberState) -> Person:
    """Each state's focal point: a senior official of its port authority (Jamaica's is the demo account)."""
    if state.code == "JM":
        data = {
            "first_name": "Andre",
            "last_name": "Campbell",
            "email": "focal.jm@faro.demo",
            "gender": "man",
            "preferred_language": "en",
            "timezone": "America/Jamaica",
        }
    else:
        data = official(state.code, FOCAL_POINT_INDEX)
    person = Person.objects.with_email(data["email"]).first()
    if person is None:
        data.update(position="Head of International Cooperation", position_level=Person.Level.SENIOR)
        person = services.create_person(
            acting_user=None, member_state=state, institution=port_authority(state.code), **data
        )
    return person


def load(out: Callable[[str], None]) -> None:
    load_reference_data(lambda name: apps.get_model("directory", name))
    for row in INSTITUTIONS:
        _institution(row)
    today = datetime.date.today()
    participating = list(MemberState.objects.participating_on(today))
    for state in MemberState.objects.all():
        port_authority(state.code)
    for state in participating:
        for index in range(OFFICIALS_PER_STATE.get(state.code, DEFAULT_OFFICIALS)):
            ensure_official(state.code, index)
        _appoint(_focal_point(state), state, Appointment.Role.FOCAL_POINT)
        _appoint(ensure_official(state.code, DELEGATE_INDEX), state, Appointment.Role.PRINCIPAL_DELEGATE)
    out(
        f"Directory: {MemberState.objects.count()} member states, {Institution.objects.count()} institutions, "
        f"{Person.objects.count()} people, {Appointment.objects.count()} appointments."
    )
