"""Demo: the 12 online certified courses run with Peru's APN in 2020 (idempotent, via services)."""

import datetime
from collections.abc import Callable

from django.db.models import Sum

from faro.courses import services
from faro.courses.models import Course, Offering
from faro.directory.models import Institution, PriorityArea, Topic

# (priority area number in the Mexico 2018–20 plan, topic slug, English title, Spanish title, language, hours)
COURSES = [
    (3, "isps", "Port Security and the ISPS Code", "Protección portuaria y Código PBIP", "es", 60),
    (3, "cyber-security", "Cyber Security in Ports", "Ciberseguridad en puertos", "es", 40),
    (3, "disaster-risk", "Disaster Risk Management in Ports", "Gestión del riesgo de desastres en puertos", "es", 40),
    (
        1,
        "digitalization",
        "Digitalization and Automation of Ports",
        "Digitalización y automatización portuaria",
        "es",
        60,
    ),
    (1, "single-window", "Maritime Single Window", "Ventanilla única marítima", "es", 40),
    (1, "trade-logistics", "Port Logistics and Trade", "Logística portuaria y comercio", "es", 60),
    (2, "green-ports", "Green Ports and Environmental Management", "Puertos verdes y gestión ambiental", "es", 60),
    (2, "dredging", "Dredging Management", "Gestión del dragado", "es", 40),
    (4, "governance", "Port Governance and Regulation", "Gobernanza y regulación portuaria", "es", 60),
    (4, "concessions", "Port Concessions", "Concesiones portuarias", "en", 40),
    (5, "cruise-ports", "Cruise Port Management", "Gestión de puertos de cruceros", "en", 40),
    (6, "women-in-ports", "Women in Port Leadership", "Liderazgo de mujeres en los puertos", "en", 40),
]
# Portuguese and French titles, by topic slug.
TITLES_PT_FR = {
    "isps": ("Proteção portuária e Código ISPS", "Sûreté portuaire et Code ISPS"),
    "cyber-security": ("Cibersegurança nos portos", "Cybersécurité dans les ports"),
    "disaster-risk": ("Gestão do risco de desastres nos portos", "Gestion des risques de catastrophe dans les ports"),
    "digitalization": ("Digitalização e automação portuária", "Numérisation et automatisation des ports"),
    "single-window": ("Janela única marítima", "Guichet unique maritime"),
    "trade-logistics": ("Logística portuária e comércio", "Logistique portuaire et commerce"),
    "green-ports": ("Portos verdes e gestão ambiental", "Ports verts et gestion environnementale"),
    "dredging": ("Gestão da dragagem", "Gestion du dragage"),
    "governance": ("Governança e regulação portuária", "Gouvernance et régulation portuaires"),
    "concessions": ("Concessões portuárias", "Concessions portuaires"),
    "cruise-ports": ("Gestão de portos de cruzeiros", "Gestion des ports de croisière"),
    "women-in-ports": ("Liderança de mulheres nos portos", "Leadership des femmes dans les ports"),
}
# 2020 cohorts: seats sum to 401.
SEATS = [34, 34, 34, 34, 34, 33, 33, 33, 33, 33, 33, 33]


def apn() -> Institution:
    institution, _created = Institution.objects.get_or_create(
        name="Autoridad Portuaria Nacional",
        country_code="PE",
        defaults={"acronym": "APN", "kind": Institution.Kind.PORT_AUTHORITY, "website": "https://www.apn.gob.pe"},
    )
    return institution


def load(out: Callable[[str], None]) -> None:
    provider = apn()
    start = datetime.date(2020, 7, 15)
    for index, (area_number, topic_slug, en, es, language, hours) in enumerate(COURSES):
        code = f"APN-2020-{index + 1:02d}"
        if Offering.objects.filter(code=code).exists():
            continue
        area = PriorityArea.objects.filter(plan__start_year=2018, number=area_number).first()
        course = services.create_course(
            acting_user=None,
            topics=Topic.objects.filter(priority_area=area, slug=topic_slug),
            title={"en": en, "es": es, "pt": TITLES_PT_FR[topic_slug][0], "fr": TITLES_PT_FR[topic_slug][1]},
            provider=provider,
            priority_area=area,
            modality=Course.Modality.ONLINE_TUTORED,
            languages=[language],
            hours=hours,
            certified=True,
            minimum_grade=70,
            is_published=True,
            description={
                "en": f"An online tutored course with APN (Peru): {en.lower()}.",
                "es": f"Curso virtual tutorizado con la APN (Perú): {es.lower()}.",
                "pt": f"Curso on-line com tutoria, com a APN (Peru): {TITLES_PT_FR[topic_slug][0].lower()}.",
                "fr": f"Cours en ligne avec tutorat, avec l'APN (Pérou)\u202f: {TITLES_PT_FR[topic_slug][1].lower()}.",
            },
        )
        begins = start + datetime.timedelta(days=14 * (index % 6))
        offering = services.create_offering(
            course,
            acting_user=None,
            code=code,
            start=begins,
            end=begins + datetime.timedelta(days=70),
            seats=SEATS[index],
            tutor="Tutor APN",
            academic_coordinator="Coordinación académica APN",
            lms_url="https://campus.apn.gob.pe/",
        )
        services.add_contribution(
            offering, acting_user=None, institution=provider, kind="tuition", places_funded=SEATS[index]
        )
        services.add_contribution(offering, acting_user=None, institution=provider, kind="platform")
    offerings = Offering.objects.filter(code__startswith="APN-2020-")
    seats = offerings.aggregate(total=Sum("seats"))["total"] or 0
    out(f"Courses: {offerings.count()} APN offerings in 2020 with {seats} seats.")
