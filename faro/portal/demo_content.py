"""Demo news in four languages, in Faro's own words: the 2020 programme in figures and two more posts."""
# ruff: noqa: E501  (one paragraph a line)

from typing import Any

PROGRAMME_2020: dict[str, Any] = {
    "slug": "training-programme-2020-in-figures",
    "publish_at": "2020-12-15T12:00:00+00:00",
    "title": {
        "en": "2020 in figures: the CIP's training went online",
        "es": "2020 en cifras: la capacitación de la CIP pasó a ser en línea",
        "pt": "2020 em números: a capacitação da CIP passou a ser on-line",
        "fr": "2020 en chiffres\u202f: la formation de la CIP est passée en ligne",
    },
    "summary": {
        "en": "401 scholarships for 12 online courses, 14 webinars followed by more than 3,000 port officers, "
        "and the next Meeting of the CIP set for Buenos Aires in May 2021.",
        "es": "401 becas para 12 cursos en línea, 14 webinarios seguidos por más de 3000 funcionarios y "
        "funcionarias de puertos y la próxima Reunión de la CIP fijada en Buenos Aires para mayo de 2021.",
        "pt": "401 bolsas para 12 cursos on-line, 14 webinars acompanhados por mais de 3.000 profissionais "
        "portuários e a próxima Reunião da CIP marcada em Buenos Aires para maio de 2021.",
        "fr": "401 bourses pour 12 cours en ligne, 14 webinaires suivis par plus de 3 000 professionnels "
        "portuaires, et la prochaine Réunion de la CIP fixée à Buenos Aires en mai 2021.",
    },
    "body": {
        "en": """With travel on hold for most of 2020, every activity of the CIP's training programme took place online. The numbers for the year:

- 401 scholarships for 12 certified online courses, offered with Peru's National Port Authority (APN), for port officials from 29 member states;
- 14 webinars, organised with the Mexico ISPS Network and Fundación Valenciaport, attended by more than 3,000 port officers from 27 member states. Topics ranged from port security and digitalisation to disaster risk, dredging, cruise ports, port–city relations, governance and logistics.

What comes next: the online courses and webinars continue in 2021, and the XII Meeting of the CIP is planned for 19–21 May 2021 in Buenos Aires, Argentina, if delegations can meet in person.

Calls, webinars and the meeting appear on Faro's calendar as soon as they are announced.""",
        "es": """Con los viajes suspendidos durante la mayor parte de 2020, todas las actividades del programa de capacitación de la CIP se hicieron en línea. Las cifras del año:

- 401 becas para 12 cursos certificados en línea, ofrecidos con la Autoridad Portuaria Nacional del Perú (APN), para funcionarios y funcionarias de puertos de 29 Estados miembros;
- 14 webinarios, organizados con la Red PBIP México y la Fundación Valenciaport, con más de 3000 participantes del sector portuario de 27 Estados miembros. Los temas fueron desde la protección portuaria y la digitalización hasta el riesgo de desastres, el dragado, los puertos de cruceros, la relación puerto-ciudad, la gobernanza y la logística.

Lo que viene: los cursos en línea y los webinarios siguen en 2021, y la XII Reunión de la CIP está prevista del 19 al 21 de mayo de 2021 en Buenos Aires (Argentina), si las delegaciones pueden reunirse en persona.

Las convocatorias, los webinarios y la reunión aparecen en el calendario de Faro en cuanto se anuncian.""",
        "pt": """Com as viagens suspensas durante a maior parte de 2020, todas as atividades do programa de capacitação da CIP foram on-line. Os números do ano:

- 401 bolsas para 12 cursos certificados on-line, oferecidos com a Autoridade Portuária Nacional do Peru (APN), para profissionais portuários de 29 Estados membros;
- 14 webinars, organizados com a Rede PBIP México e a Fundación Valenciaport, com mais de 3.000 participantes do setor portuário de 27 Estados membros. Os temas foram da proteção portuária e da digitalização ao risco de desastres, à dragagem, aos portos de cruzeiros, à relação porto-cidade, à governança e à logística.

O que vem a seguir: os cursos on-line e os webinars continuam em 2021, e a XII Reunião da CIP está prevista para 19 a 21 de maio de 2021 em Buenos Aires, na Argentina, se as delegações puderem se reunir presencialmente.

As chamadas, os webinars e a reunião aparecem no calendário do Faro assim que são anunciados.""",
        "fr": """Les déplacements étant suspendus pendant la plus grande partie de 2020, toutes les activités du programme de formation de la CIP ont eu lieu en ligne. Les chiffres de l’année :

- 401 bourses pour 12 cours certifiés en ligne, proposés avec l’Autorité portuaire nationale du Pérou (APN), pour des professionnels portuaires de 29 États membres ;
- 14 webinaires, organisés avec le Réseau PBIP du Mexique et la Fundación Valenciaport, suivis par plus de 3 000 participants du secteur portuaire de 27 États membres. Les thèmes allaient de la sûreté portuaire et de la numérisation aux risques de catastrophe, au dragage, aux ports de croisière, aux relations ville-port, à la gouvernance et à la logistique.

La suite : les cours en ligne et les webinaires continuent en 2021, et la XIIe Réunion de la CIP est prévue du 19 au 21 mai 2021 à Buenos Aires, en Argentine, si les délégations peuvent se réunir en personne.

Les appels, les webinaires et la réunion apparaissent dans le calendrier de Faro dès leur annonce.""",
    },
}

MORE_POSTS: list[dict[str, Any]] = [
    {
        "slug": "xii-meeting-of-the-cip-buenos-aires",
        "publish_at": "2021-03-01T12:00:00+00:00",
        "title": {
            "en": "XII Meeting of the CIP in Buenos Aires",
            "es": "XII Reunión de la CIP en Buenos Aires",
            "pt": "XII Reunião da CIP em Buenos Aires",
            "fr": "XIIe Réunion de la CIP à Buenos Aires",
        },
        "summary": {
            "en": "The XII Meeting of the CIP is scheduled for 19–21 May 2021 in Buenos Aires, Argentina.",
            "es": "La XII Reunión de la CIP está prevista del 19 al 21 de mayo de 2021 en Buenos Aires, Argentina.",
            "pt": "A XII Reunião da CIP está prevista para 19 a 21 de maio de 2021 em Buenos Aires, Argentina.",
            "fr": "La XIIe Réunion de la CIP est prévue du 19 au 21 mai 2021 à Buenos Aires, en Argentine.",
        },
        "body": {
            "en": "Member states' delegations will elect the Executive Board and approve the Plan of Action. "
            "Delegations are registered by each national focal point.",
            "es": "Las delegaciones de los Estados miembros elegirán al Comité Ejecutivo y aprobarán el Plan de "
            "Acción. Cada punto focal nacional inscribe a su delegación.",
            "pt": "As delegações dos Estados membros elegerão o Comitê Executivo e aprovarão o Plano de Ação. "
            "Cada ponto focal nacional inscreve a sua delegação.",
            "fr": "Les délégations des États membres éliront le Comité exécutif et approuveront le Plan d’action. "
            "Chaque point focal national inscrit sa délégation.",
        },
    },
    {
        "slug": "new-online-courses-with-apn",
        "publish_at": "2021-02-01T12:00:00+00:00",
        "title": {
            "en": "New online courses with Peru's National Port Authority",
            "es": "Nuevos cursos en línea con la Autoridad Portuaria Nacional del Perú",
            "pt": "Novos cursos on-line com a Autoridade Portuária Nacional do Peru",
            "fr": "Nouveaux cours en ligne avec l’Autorité portuaire nationale du Pérou",
        },
        "summary": {
            "en": "Scholarship calls for the 2021 online certified courses are open. Apply through Faro.",
            "es": "Están abiertas las convocatorias de becas para los cursos certificados en línea de 2021. "
            "Postule en Faro.",
            "pt": "Estão abertas as chamadas de bolsas para os cursos certificados on-line de 2021. "
            "Candidate-se pelo Faro.",
            "fr": "Les appels à bourses pour les cours certifiés en ligne de 2021 sont ouverts. Postulez sur Faro.",
        },
        "body": {
            "en": "Applications are endorsed by each member state's national focal point before review.",
            "es": "Las postulaciones son avaladas por el punto focal nacional de cada Estado miembro antes de la "
            "evaluación.",
            "pt": "As candidaturas são endossadas pelo ponto focal nacional de cada Estado membro antes da avaliação.",
            "fr": "Les candidatures sont approuvées par le point focal national de chaque État membre avant "
            "l’évaluation.",
        },
    },
]

SAMPLE_MAILING: dict[str, Any] = {
    "subject": {
        "en": "Webinar season 2021: save the dates",
        "es": "Temporada de webinarios 2021: reserve las fechas",
        "pt": "Temporada de webinars 2021: reserve as datas",
    },
    "body": {
        "en": "Dear colleagues,\n\nThe CIP Secretariat and its partners are preparing a new series of webinars. "
        "Dates and registration will appear on the Faro calendar.\n\nThe CIP Secretariat",
        "es": "Estimados colegas:\n\nLa Secretaría de la CIP y sus socios preparan una nueva serie de webinarios. "
        "Las fechas y la inscripción aparecerán en el calendario de Faro.\n\nLa Secretaría de la CIP",
        "pt": "Prezados colegas,\n\nA Secretaria da CIP e os seus parceiros preparam uma nova série de webinars. "
        "As datas e a inscrição aparecerão no calendário do Faro.\n\nA Secretaria da CIP",
    },
    "category": "webinars",
    "segment": {"member_states": ["JM", "PE", "MX", "BB"]},
}
