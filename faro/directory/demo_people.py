"""Deterministic, realistic port officials for the demo, shared by every app's `demo.py`.

`official(code, index)` always describes the same person for the same arguments, so two
programmes that pick the same (state, index) meet the same official — as happens in real life,
where a scholarship holder also attends webinars. `ensure_official` creates them on demand.
"""

import hashlib
from typing import Any

from faro.directory import services
from faro.directory.models import Institution, MemberState, Person
from faro.lib.text import fold

# Names by the language most officials of a state use (women's names first in each list).
NAMES: dict[str, dict[str, list[str]]] = {
    "es": {
        "women": [
            "María",
            "Ana",
            "Lucía",
            "Carmen",
            "Gabriela",
            "Paola",
            "Daniela",
            "Valeria",
            "Sofía",
            "Claudia",
            "Patricia",
            "Andrea",
            "Mariana",
            "Rocío",
            "Verónica",
            "Lorena",
        ],
        "men": [
            "José",
            "Luis",
            "Carlos",
            "Juan",
            "Jorge",
            "Miguel",
            "Fernando",
            "Ricardo",
            "Diego",
            "Andrés",
            "Javier",
            "Alejandro",
            "Raúl",
            "Óscar",
            "Sergio",
            "Héctor",
            "Manuel",
            "Pablo",
        ],
        "last": [
            "García",
            "Rodríguez",
            "Martínez",
            "Hernández",
            "López",
            "González",
            "Pérez",
            "Sánchez",
            "Ramírez",
            "Torres",
            "Flores",
            "Rivera",
            "Gómez",
            "Díaz",
            "Vargas",
            "Castro",
            "Rojas",
            "Morales",
            "Ortiz",
            "Quispe",
            "Mendoza",
            "Núñez",
            "Aguilar",
            "Peña",
            "Salazar",
            "Ibáñez",
        ],
    },
    "en": {
        "women": [
            "Keisha",
            "Shanice",
            "Sarah",
            "Jennifer",
            "Michelle",
            "Natalie",
            "Kimberly",
            "Tamara",
            "Alicia",
            "Donna",
            "Simone",
            "Renée",
        ],
        "men": [
            "Andre",
            "Marlon",
            "David",
            "Michael",
            "Christopher",
            "Kevin",
            "Ryan",
            "Dwayne",
            "Trevor",
            "Nigel",
            "Damian",
            "Richard",
            "Brian",
            "Jason",
        ],
        "last": [
            "Brown",
            "Campbell",
            "Williams",
            "Thompson",
            "Clarke",
            "Charles",
            "Joseph",
            "Baptiste",
            "Grant",
            "Henry",
            "Francis",
            "Bailey",
            "Edwards",
            "Phillips",
            "Alleyne",
            "Greenidge",
            "Smith",
            "Johnson",
        ],
    },
    "pt": {
        "women": ["Ana", "Mariana", "Juliana", "Fernanda", "Beatriz", "Camila", "Letícia", "Patrícia"],
        "men": ["João", "Pedro", "Lucas", "Rafael", "Gustavo", "Rodrigo", "Thiago", "André", "Marcelo"],
        "last": [
            "Silva",
            "Santos",
            "Oliveira",
            "Souza",
            "Pereira",
            "Costa",
            "Ferreira",
            "Almeida",
            "Carvalho",
            "Ribeiro",
            "Gonçalves",
            "Araújo",
        ],
    },
    "fr": {
        "women": ["Marie", "Nadège", "Roseline", "Fabienne", "Guerline", "Mireille"],
        "men": ["Jean", "Pierre", "Wilner", "Frantz", "Jacques", "Reginald", "Emmanuel"],
        "last": ["Joseph", "Jean-Baptiste", "Pierre", "Louis", "Charles", "Étienne", "Désir", "Augustin"],
    },
}

# The language officials of each state mostly use with the CIP.
STATE_LANGUAGE: dict[str, str] = {
    **dict.fromkeys("AR BO CL CO CR CU DO EC SV GT HN MX NI PA PY PE UY VE".split(), "es"),
    **dict.fromkeys("AG BS BB BZ CA DM GD GY JM KN LC VC SR TT US".split(), "en"),
    "BR": "pt",
    "HT": "fr",
}

STATE_TIME_ZONE: dict[str, str] = {
    "AR": "America/Argentina/Buenos_Aires",
    "BO": "America/La_Paz",
    "BR": "America/Sao_Paulo",
    "CL": "America/Santiago",
    "CO": "America/Bogota",
    "CR": "America/Costa_Rica",
    "CU": "America/Havana",
    "DO": "America/Santo_Domingo",
    "EC": "America/Guayaquil",
    "SV": "America/El_Salvador",
    "GT": "America/Guatemala",
    "HN": "America/Tegucigalpa",
    "MX": "America/Mexico_City",
    "NI": "America/Managua",
    "PA": "America/Panama",
    "PY": "America/Asuncion",
    "PE": "America/Lima",
    "UY": "America/Montevideo",
    "VE": "America/Caracas",
    "AG": "America/Antigua",
    "BS": "America/Nassau",
    "BB": "America/Barbados",
    "BZ": "America/Belize",
    "CA": "America/Toronto",
    "DM": "America/Dominica",
    "GD": "America/Grenada",
    "GY": "America/Guyana",
    "JM": "America/Jamaica",
    "KN": "America/St_Kitts",
    "LC": "America/St_Lucia",
    "VC": "America/St_Vincent",
    "SR": "America/Paramaribo",
    "TT": "America/Port_of_Spain",
    "US": "America/New_York",
    "HT": "America/Port-au-Prince",
}

POSITIONS: list[tuple[str, str]] = [
    ("senior", "Port Director"),
    ("senior", "Head of Port Security"),
    ("middle", "Operations Manager"),
    ("middle", "Environmental Management Coordinator"),
    ("middle", "Head of Legal Affairs"),
    ("technical", "Port Planning Engineer"),
    ("technical", "Logistics Analyst"),
    ("technical", "ISPS Code Compliance Officer"),
    ("technical", "Statistics Specialist"),
    ("operational", "Harbour Master's Officer"),
    ("operational", "Terminal Supervisor"),
    ("operational", "Port Facility Security Officer"),
]

# A share of women close to the region's port workforce (about one in four here).
WOMEN_PER_HUNDRED = 27
UNDISCLOSED_PER_HUNDRED = 4


def _pick(items: list[Any], seed: int, salt: int) -> Any:
    return items[(seed // (salt + 1)) % len(items)]


def _seed(code: str, index: int) -> int:
    return int.from_bytes(hashlib.sha256(f"{code}:{index}".encode()).digest()[:8], "big")


def official(code: str, index: int) -> dict[str, Any]:
    """A plausible official of state `code`; the same arguments give the same person."""
    language = STATE_LANGUAGE[code]
    names = NAMES[language]
    seed = _seed(code, index)
    roll = seed % 100
    gender = "woman" if roll < WOMEN_PER_HUNDRED else "undisclosed" if roll < 31 else "man"
    first = _pick(names["women"] if gender == "woman" else names["men"], seed, 7)
    last = _pick(names["last"], seed, 131)
    level, position = _pick(POSITIONS, seed, 977)
    local = fold(f"{first}.{last}").replace(" ", "").replace("'", "")
    return {
        "first_name": first,
        "last_name": last,
        "email": f"{local}.{index}@port.{code.lower()}.example",
        "gender": "" if gender == "undisclosed" and roll % 2 else gender,
        "position": position,
        "position_level": level,
        "preferred_language": language,
        "timezone": STATE_TIME_ZONE[code],
    }


def port_authority(code: str) -> Institution:
    """The state's national port authority (created on first use)."""
    state = MemberState.objects.get(code=code)
    name = {
        "es": f"Autoridad Portuaria Nacional de {state.name_in('es')}",
        "pt": f"Autoridade Portuária Nacional do {state.name_in('pt')}",
        "fr": f"Autorité portuaire nationale d'{state.name_in('fr')}",
    }.get(STATE_LANGUAGE[code], f"{state.name_in('en')} Port Authority")
    institution = Institution.objects.filter(name__iexact=name, country_code=code).first()
    if institution is None:
        institution = services.create_institution(
            acting_user=None, name=name, country_code=code, kind=Institution.Kind.PORT_AUTHORITY
        )
    return institution


def ensure_official(code: str, index: int) -> Person:
    """Get or create the official `official(code, index)` describes."""
    data = official(code, index)
    person = Person.objects.with_email(data["email"]).first()
    if person:
        return person
    return services.create_person(
        acting_user=None, member_state=MemberState.objects.get(code=code), institution=port_authority(code), **data
    )
