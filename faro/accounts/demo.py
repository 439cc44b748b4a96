"""Demo: one account per role, as the README's "Demo logins" table lists them."""

from collections.abc import Callable
from typing import Any

from faro.accounts import services
from faro.accounts.models import RoleAssignment, User
from faro.directory import services as directory_services
from faro.directory.demo_people import port_authority
from faro.directory.models import Institution, MemberState, Person

PASSWORD = "faro-demo-2020"
Role = RoleAssignment.Role

# email, role, person (name, country, institution code or None, language, position), scope
ACCOUNTS: list[dict[str, Any]] = [
    {
        "email": "staff@faro.demo",
        "role": Role.STAFF,
        "label": "Secretariat staff",
        "person": ("Laura", "Mendoza", None, "en", "Programme Manager, CIP Secretariat"),
    },
    {
        "email": "partner@faro.demo",
        "role": Role.PARTNER,
        "label": "Partner coordinator (Peru's APN)",
        "person": ("Rosa", "Quispe", "PE", "es", "Training Coordinator"),
        "institution": "APN",
    },
    {
        "email": "focal.jm@faro.demo",
        "role": Role.FOCAL_POINT,
        "label": "National focal point (Jamaica)",
        "person": ("Andre", "Campbell", "JM", "en", "Head of International Cooperation"),
        "member_state": "JM",
    },
    {
        "email": "reviewer@faro.demo",
        "role": Role.REVIEWER,
        "label": "Reviewer",
        "person": ("Carla", "Méndez", "CL", "es", "Port Training Specialist"),
    },
    {
        "email": "participant@faro.demo",
        "role": None,
        "label": "Participant (Jamaican port official)",
        "person": ("Keisha", "Brown", "JM", "en", "Port Facility Security Officer"),
    },
]

TIME_ZONES = {None: "America/New_York", "PE": "America/Lima", "JM": "America/Jamaica", "CL": "America/Santiago"}


def _person(email: str, first: str, last: str, country: str | None, language: str, position: str) -> Person:
    person = Person.objects.with_email(email).first()
    if person is not None:
        return person
    institution = None
    if country == "PE":
        institution = Institution.objects.filter(acronym="APN").first()
    elif country:
        institution = port_authority(country)
    return directory_services.create_person(
        acting_user=None,
        first_name=first,
        last_name=last,
        email=email,
        member_state=MemberState.objects.get(code=country) if country else None,
        institution=institution,
        position=position,
        preferred_language=language,
        timezone=TIME_ZONES.get(country, ""),
        gender="woman" if first in {"Laura", "Rosa", "Carla", "Keisha"} else "man",
    )


def _account(spec: dict[str, Any]) -> User:
    user = User.objects.filter(email__iexact=spec["email"]).first()
    if user is None:
        person = _person(spec["email"], *spec["person"])
        user = services.create_account(
            spec["email"],
            email_verified=True,  # the demo's addresses are taken as proven, so the logins work at once
            full_name=person.full_name,
            member_state=person.member_state,
            institution=person.institution,
            position=person.position,
            preferred_language=person.preferred_language,
            password=PASSWORD,
            acting_user=None,
        )
    if spec["role"]:  # the real role service: a focal point's role follows their appointment
        services.record_role(
            user,
            role=spec["role"],
            granted_by=None,
            needs_approval=False,
            acting_user=None,
            institution=Institution.objects.filter(acronym=spec.get("institution")).first()
            if spec.get("institution")
            else None,
            member_state=MemberState.objects.filter(code=spec.get("member_state")).first(),
        )
    return user


def load(out: Callable[[str], None]) -> list[str]:
    """Create the accounts; return the logins table, which `load_demo` prints last."""
    for spec in ACCOUNTS:
        _account(spec)
    out(f"Accounts: {len(ACCOUNTS)} demo logins.")
    return [f"Demo logins (password for all: {PASSWORD}):"] + [
        f"  {spec['label']:<40} {spec['email']}" for spec in ACCOUNTS
    ]
