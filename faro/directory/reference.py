"""The hemisphere's reference data: member states, their status history, regions, plans of action.

Country names are not typed here: they come from CLDR (Babel) in each language, and ISO
alpha-3 codes from pycountry. `load_reference_data` is idempotent; the data migration and
`load_demo` both call it.
"""

import datetime
from typing import Any

import pycountry

# The 35 OAS member states (ISO 3166-1 alpha-2) with the date each joined the OAS.
OAS_MEMBER_STATES: dict[str, datetime.date] = {
    code: datetime.date.fromisoformat(day)
    for code, day in {
        "AR": "1951-12-13",
        "BO": "1951-12-13",
        "BR": "1951-12-13",
        "CL": "1951-12-13",
        "CO": "1951-12-13",
        "CR": "1951-12-13",
        "CU": "1951-12-13",
        "DO": "1951-12-13",
        "EC": "1951-12-13",
        "SV": "1951-12-13",
        "GT": "1951-12-13",
        "HT": "1951-12-13",
        "HN": "1951-12-13",
        "MX": "1951-12-13",
        "NI": "1951-12-13",
        "PA": "1951-12-13",
        "PY": "1951-12-13",
        "PE": "1951-12-13",
        "US": "1951-12-13",
        "UY": "1951-12-13",
        "VE": "1951-12-13",
        "BB": "1967-11-15",
        "TT": "1967-03-23",
        "JM": "1969-06-20",
        "GD": "1975-05-13",
        "SR": "1977-02-22",
        "DM": "1979-05-22",
        "LC": "1979-05-22",
        "AG": "1981-12-03",
        "VC": "1981-12-03",
        "BS": "1982-03-03",
        "KN": "1984-03-16",
        "CA": "1990-01-08",
        "BZ": "1991-01-08",
        "GY": "1991-01-08",
    }.items()
}

# (state, status, start, end, note in en/es/pt/fr)
STATUS_HISTORY: list[tuple[str, str, str, str | None, dict[str, str]]] = [
    (
        "CU",
        "non_participating",
        "1962-01-31",
        None,
        {
            "en": "Member state that does not take part in the OAS since 1962.",
            "es": "Estado miembro que no participa en la OEA desde 1962.",
            "pt": "Estado membro que não participa da OEA desde 1962.",
            "fr": "État membre qui ne participe pas à l'OEA depuis 1962.",
        },
    ),
    (
        "HN",
        "suspended",
        "2009-07-04",
        "2011-06-01",
        {
            "en": "Suspended from July 2009 to June 2011.",
            "es": "Suspendido de julio de 2009 a junio de 2011.",
            "pt": "Suspenso de julho de 2009 a junho de 2011.",
            "fr": "Suspendu de juillet 2009 à juin 2011.",
        },
    ),
    (
        "VE",
        "contested",
        "2019-01-10",
        None,
        {
            "en": "Representation contested since 2019.",
            "es": "Representación en disputa desde 2019.",
            "pt": "Representação contestada desde 2019.",
            "fr": "Représentation contestée depuis 2019.",
        },
    ),
    (
        "NI",
        "withdrawn",
        "2023-11-19",
        None,
        {
            "en": "Withdrew from the OAS in November 2023.",
            "es": "Se retiró de la OEA en noviembre de 2023.",
            "pt": "Retirou-se da OEA em novembro de 2023.",
            "fr": "S'est retiré de l'OEA en novembre 2023.",
        },
    ),
]

REGION_SCHEMES: list[dict[str, Any]] = [
    {
        "code": "m49",
        "name": {
            "en": "UN M49 regions",
            "es": "Regiones M49 de la ONU",
            "pt": "Regiões M49 da ONU",
            "fr": "Régions M49 de l'ONU",
        },
        "regions": [
            (
                "northern-america",
                {
                    "en": "Northern America",
                    "es": "América septentrional",
                    "pt": "América do Norte",
                    "fr": "Amérique septentrionale",
                },
                "CA US",
            ),
            (
                "central-america",
                {"en": "Central America", "es": "Centroamérica", "pt": "América Central", "fr": "Amérique centrale"},
                "BZ CR SV GT HN MX NI PA",
            ),
            (
                "caribbean",
                {"en": "Caribbean", "es": "Caribe", "pt": "Caribe", "fr": "Caraïbes"},
                "AG BS BB CU DM DO GD HT JM KN LC VC TT",
            ),
            (
                "south-america",
                {"en": "South America", "es": "América del Sur", "pt": "América do Sul", "fr": "Amérique du Sud"},
                "AR BO BR CL CO EC GY PY PE SR UY VE",
            ),
        ],
    },
    {
        "code": "cip",
        "name": {
            "en": "CIP groupings",
            "es": "Agrupaciones de la CIP",
            "pt": "Agrupamentos da CIP",
            "fr": "Groupements de la CIP",
        },
        "regions": [
            (
                "north-america",
                {"en": "North America", "es": "América del Norte", "pt": "América do Norte", "fr": "Amérique du Nord"},
                "CA MX US",
            ),
            (
                "central-america",
                {"en": "Central America", "es": "Centroamérica", "pt": "América Central", "fr": "Amérique centrale"},
                "BZ CR SV GT HN NI PA DO",
            ),
            (
                "caribbean",
                {"en": "Caribbean", "es": "Caribe", "pt": "Caribe", "fr": "Caraïbes"},
                "AG BS BB BZ CU DM DO GD GY HT JM KN LC VC SR TT",
            ),
            ("andean", {"en": "Andean", "es": "Andina", "pt": "Andina", "fr": "Andine"}, "BO CO EC PE VE"),
            (
                "southern-cone",
                {"en": "Southern Cone", "es": "Cono Sur", "pt": "Cone Sul", "fr": "Cône Sud"},
                "AR BR CL PY UY",
            ),
        ],
    },
]

LOGISTICS = {
    "en": "Logistics, Innovation and Competitiveness",
    "es": "Logística, innovación y competitividad",
    "pt": "Logística, inovação e competitividade",
    "fr": "Logistique, innovation et compétitivité",
}
SECURITY = {
    "en": "Port Protection and Security",
    "es": "Protección y seguridad portuaria",
    "pt": "Proteção e segurança portuária",
    "fr": "Protection et sûreté portuaires",
}
SUSTAINABLE = {
    "en": "Sustainable Port Management and Environmental Protection",
    "es": "Gestión portuaria sostenible y protección ambiental",
    "pt": "Gestão portuária sustentável e proteção ambiental",
    "fr": "Gestion portuaire durable et protection de l'environnement",
}
POLICY = {
    "en": "Public Policy, Legislation and Regulation",
    "es": "Políticas públicas, legislación y regulación",
    "pt": "Políticas públicas, legislação e regulação",
    "fr": "Politiques publiques, législation et réglementation",
}

# Topics per area key: (slug, en, es, pt, fr)
TOPICS: dict[str, list[tuple[str, str, str, str, str]]] = {
    "logistics": [
        (
            "digitalization",
            "Digitalization and automation",
            "Digitalización y automatización",
            "Digitalização e automação",
            "Numérisation et automatisation",
        ),
        (
            "single-window",
            "Maritime single window",
            "Ventanilla única marítima",
            "Janela única marítima",
            "Guichet unique maritime",
        ),
        (
            "port-community-systems",
            "Port community systems",
            "Sistemas de comunidad portuaria",
            "Sistemas de comunidade portuária",
            "Systèmes de communauté portuaire",
        ),
        (
            "trade-logistics",
            "Trade and logistics",
            "Comercio y logística",
            "Comércio e logística",
            "Commerce et logistique",
        ),
    ],
    "security": [
        (
            "isps",
            "Port security and the ISPS Code",
            "Protección portuaria y Código PBIP",
            "Proteção portuária e Código ISPS",
            "Sûreté portuaire et Code ISPS",
        ),
        ("cyber-security", "Cyber security", "Ciberseguridad", "Cibersegurança", "Cybersécurité"),
        (
            "disaster-risk",
            "Disaster risk management",
            "Gestión del riesgo de desastres",
            "Gestão de risco de desastres",
            "Gestion des risques de catastrophe",
        ),
    ],
    "sustainable": [
        ("green-ports", "Green ports", "Puertos verdes", "Portos verdes", "Ports verts"),
        ("dredging", "Dredging", "Dragado", "Dragagem", "Dragage"),
    ],
    "policy": [
        ("governance", "Port governance", "Gobernanza portuaria", "Governança portuária", "Gouvernance portuaire"),
        ("concessions", "Concessions", "Concesiones", "Concessões", "Concessions"),
    ],
    "cruise": [
        ("cruise-ports", "Cruise ports", "Puertos de cruceros", "Portos de cruzeiros", "Ports de croisière"),
        (
            "inland-waterways",
            "Inland ports and waterways",
            "Puertos interiores e hidrovías",
            "Portos interiores e hidrovias",
            "Ports intérieurs et voies navigables",
        ),
    ],
    "port-city": [
        (
            "port-city",
            "Port-city relationship",
            "Relación puerto-ciudad",
            "Relação porto-cidade",
            "Relation ville-port",
        ),
        (
            "women-in-ports",
            "Women in ports",
            "Mujeres en los puertos",
            "Mulheres nos portos",
            "Les femmes dans les ports",
        ),
    ],
}

# (number, topic key, name, chair, chair institution, vice-chair)
PLANS: list[dict[str, Any]] = [
    {
        "name": {
            "en": "Cartagena Plan of Action",
            "es": "Plan de Acción de Cartagena",
            "pt": "Plano de Ação de Cartagena",
            "fr": "Plan d'action de Carthagène",
        },
        "years": (2014, 2016),
        "areas": [],
    },
    {
        "name": {
            "en": "Montevideo Plan of Action",
            "es": "Plan de Acción de Montevideo",
            "pt": "Plano de Ação de Montevidéu",
            "fr": "Plan d'action de Montevideo",
        },
        "years": (2016, 2018),
        "areas": [],
    },
    {
        "name": {
            "en": "Mexico Plan of Action",
            "es": "Plan de Acción de México",
            "pt": "Plano de Ação do México",
            "fr": "Plan d'action de Mexico",
        },
        "years": (2018, 2020),
        "areas": [
            (1, "logistics", LOGISTICS, "PA", "", None),
            (2, "sustainable", SUSTAINABLE, "MX", "", None),
            (
                3,
                "security",
                {
                    "en": "Port Protection and Safety",
                    "es": "Protección y seguridad portuaria",
                    "pt": "Proteção e segurança portuária",
                    "fr": "Protection et sécurité portuaires",
                },
                "BB",
                "",
                None,
            ),
            (4, "policy", POLICY, "HN", "", None),
            (
                5,
                "cruise",
                {
                    "en": "Tourism, Inland Ports and Waterways, Ship Services and Navigation Safety",
                    "es": "Turismo, puertos interiores e hidrovías, servicios a los buques y seguridad de la navegación",
                    "pt": "Turismo, portos interiores e hidrovias, serviços aos navios e segurança da navegação",
                    "fr": "Tourisme, ports intérieurs et voies navigables, services aux navires et sécurité de la navigation",
                },
                "UY",
                "",
                None,
            ),
            (
                6,
                "port-city",
                {
                    "en": "Corporate Social Responsibility, Gender Equality and Empowerment of Women",
                    "es": "Responsabilidad social empresarial, igualdad de género y empoderamiento de la mujer",
                    "pt": "Responsabilidade social corporativa, igualdade de gênero e empoderamento das mulheres",
                    "fr": "Responsabilité sociale des entreprises, égalité des genres et autonomisation des femmes",
                },
                "PE",
                "",
                None,
            ),
        ],
    },
    {
        "name": {
            "en": "Roatán Plan of Action",
            "es": "Plan de Acción de Roatán",
            "pt": "Plano de Ação de Roatán",
            "fr": "Plan d'action de Roatán",
        },
        "years": (2023, 2026),
        "areas": [
            (1, "logistics", LOGISTICS, "MX", "SEMAR", None),
            (2, "security", SECURITY, "BB", "Barbados Port Inc.", None),
            (3, "sustainable", SUSTAINABLE, "PE", "APN", "HN"),
            (4, "policy", POLICY, "GT", "Comisión Portuaria Nacional", None),
            (
                5,
                "cruise",
                {
                    "en": "Waterways, Inland and Cruise Ports",
                    "es": "Hidrovías, puertos interiores y de crucero",
                    "pt": "Hidrovias, portos interiores e de cruzeiro",
                    "fr": "Voies navigables, ports intérieurs et de croisière",
                },
                "AR",
                "Administración General de Puertos",
                "PY",
            ),
            (
                6,
                "port-city",
                {
                    "en": "Port-City Relation, Social Responsibility and Gender Equality",
                    "es": "Relación puerto-ciudad, responsabilidad social e igualdad de género",
                    "pt": "Relação porto-cidade, responsabilidade social e igualdade de gênero",
                    "fr": "Relation ville-port, responsabilité sociale et égalité des genres",
                },
                "PA",
                "Autoridad Marítima de Panamá",
                None,
            ),
        ],
    },
]


def load_reference_data(models: Any) -> None:
    """Create or update the reference data. `models(name)` returns a model class."""
    MemberState = models("MemberState")
    states = {}
    for code, joined in OAS_MEMBER_STATES.items():
        country = pycountry.countries.lookup(code)
        states[code], _created = MemberState.objects.update_or_create(
            code=code, defaults={"iso3": country.alpha_3, "oas_member_since": joined}
        )
    for code, status, start, end, note in STATUS_HISTORY:
        models("MemberStateStatus").objects.update_or_create(
            member_state=states[code],
            status=status,
            start=datetime.date.fromisoformat(start),
            defaults={"end": datetime.date.fromisoformat(end) if end else None, "note": note},
        )
    for scheme_data in REGION_SCHEMES:
        scheme, _created = models("RegionScheme").objects.update_or_create(
            code=scheme_data["code"], defaults={"name": scheme_data["name"]}
        )
        for code, name, members in scheme_data["regions"]:
            region, _created = models("Region").objects.update_or_create(
                scheme=scheme, code=code, defaults={"name": name}
            )
            region.member_states.set([states[c] for c in members.split()])
    for plan_data in PLANS:
        _load_plan(models, plan_data, states)


def _load_plan(models: Any, data: dict[str, Any], states: dict[str, Any]) -> None:
    start, end = data["years"]
    plan, _created = models("PlanOfAction").objects.update_or_create(
        start_year=start, end_year=end, defaults={"name": data["name"]}
    )
    for number, topic_key, name, chair, chair_institution, vice_chair in data["areas"]:
        area, _created = models("PriorityArea").objects.update_or_create(
            plan=plan,
            number=number,
            defaults={
                "name": name,
                "chair": states[chair],
                "chair_institution": chair_institution,
                "vice_chair": states[vice_chair] if vice_chair else None,
            },
        )
        for slug, en, es, pt, fr in TOPICS[topic_key]:
            models("Topic").objects.update_or_create(
                priority_area=area, slug=slug, defaults={"name": {"en": en, "es": es, "pt": pt, "fr": fr}}
            )
