"""Demo news in four languages: the Secretariat's 2020 holiday message and two more posts."""
# ruff: noqa: E501  (the message keeps one paragraph a line, as published)

from typing import Any

HOLIDAY_2020: dict[str, Any] = {
    "slug": "cip-holidays-message-2020",
    "publish_at": "2020-12-15T12:00:00+00:00",
    "title": {
        "en": "CIP Holidays Message 2020",
        "es": "Mensaje de fiestas de la CIP 2020",
        "pt": "Mensagem de boas festas da CIP 2020",
        "fr": "Message de fin d'année de la CIP 2020",
    },
    "summary": {
        "en": "Happy Holidays! In a year without on-site events, the CIP Secretariat became an online training "
        "provider: 401 scholarships for 12 online courses and 14 webinars for over 3,000 port officers.",
        "es": "¡Felices fiestas! En un año sin eventos presenciales, la Secretaría de la CIP se convirtió en "
        "proveedora de capacitación en línea: 401 becas para 12 cursos en línea y 14 webinarios para más de 3.000 "
        "funcionarios portuarios.",
        "pt": "Boas festas! Num ano sem eventos presenciais, a Secretaria da CIP tornou-se uma provedora de "
        "capacitação on-line: 401 bolsas para 12 cursos on-line e 14 webinars para mais de 3.000 funcionários "
        "portuários.",
        "fr": "Joyeuses fêtes ! Dans une année sans événements en présentiel, le Secrétariat de la CIP est devenu "
        "un fournisseur de formation en ligne : 401 bourses pour 12 cours en ligne et 14 webinaires pour plus de "
        "3 000 agents portuaires.",
    },
    "body": {
        "en": """Happy Holidays!
CIP Secretariat Message — December 2020 - January 2021

2020 has been, without a doubt, a most challenging year. The COVID-19 pandemic and the negative impacts on health, social and economic systems has affected us all. The social distancing and lockdowns in several countries at different times made it impossible for the CIP Secretariat to organize on-site events or offer in-person training programs. This situation presented the Secretariat with an opportunity to re-invent itself and, in order to provide pertinent port and maritime sector training to our members, transform itself into a relevant provider of on-line training and capacity building activities.

In this context, the Secretariat thanks and acknowledges the invaluable support from Peru's National Port Authority with whom we offered 401 scholarships to Caribbean and Latin American port officials from 29 CIP-OAS Member States for 12 online certified professional development courses. Likewise, with the support of the Mexico ISPS International Network and the Fundación ValenciaPort, the CIP Secretariat was able to hold 14 Webinars that exposed over 3,000 port officers from 27 CIP-OAS Member States to successful practices, strategic information, and industry trends on topics such as port security, digitalization and automation, trade, disaster risk management, dredging, cruise ports, port-city relationship and port governance, and logistics. As this year draws to a close, the CIP Secretariat intends to continue this robust training offer for 2021 and, if possible, re-incorporate on-site hemispheric events, such as the XII Meeting of the CIP, scheduled for May 19-21, 2021 in Buenos Aires, Argentina.

Looking forward to continue collaborating with our Members for the development of a competitive, sustainable, secure, and inclusive port sector in the Americas, we wish you safe, healthy and happy Holidays and the best for 2021,

The CIP Secretariat: Mona, Montse, Sabina, Paola and Jorge""",
        "es": """¡Felices fiestas!
Mensaje de la Secretaría de la CIP — diciembre de 2020 - enero de 2021

Sin duda, 2020 ha sido un año de enormes desafíos. La pandemia de COVID-19 y sus efectos negativos sobre los sistemas de salud, sociales y económicos nos han afectado a todos. El distanciamiento social y los confinamientos en varios países, en distintos momentos, hicieron imposible que la Secretaría de la CIP organizara eventos presenciales u ofreciera programas de capacitación presencial. Esta situación brindó a la Secretaría la oportunidad de reinventarse y, para ofrecer a nuestros miembros una capacitación pertinente para el sector portuario y marítimo, transformarse en un proveedor relevante de capacitación y de actividades de fortalecimiento de capacidades en línea.

En este contexto, la Secretaría agradece y reconoce el invaluable apoyo de la Autoridad Portuaria Nacional del Perú, con la que ofrecimos 401 becas a funcionarios portuarios del Caribe y de América Latina de 29 Estados miembros de la CIP-OEA para 12 cursos en línea certificados de desarrollo profesional. Asimismo, con el apoyo de la Red PBIP México y de la Fundación Valenciaport, la Secretaría de la CIP pudo realizar 14 webinarios que acercaron a más de 3.000 funcionarios portuarios de 27 Estados miembros de la CIP-OEA a prácticas exitosas, información estratégica y tendencias de la industria en temas como protección portuaria, digitalización y automatización, comercio, gestión del riesgo de desastres, dragado, puertos de cruceros, relación puerto-ciudad, gobernanza portuaria y logística. Al cerrar este año, la Secretaría de la CIP se propone continuar con esta sólida oferta de capacitación en 2021 y, de ser posible, retomar los eventos hemisféricos presenciales, como la XII Reunión de la CIP, prevista del 19 al 21 de mayo de 2021 en Buenos Aires, Argentina.

Con el deseo de seguir colaborando con nuestros miembros para el desarrollo de un sector portuario competitivo, sostenible, seguro e inclusivo en las Américas, les deseamos unas fiestas seguras, saludables y felices, y lo mejor para 2021.

La Secretaría de la CIP: Mona, Montse, Sabina, Paola y Jorge""",
        "pt": """Boas festas!
Mensagem da Secretaria da CIP — dezembro de 2020 - janeiro de 2021

Sem dúvida, 2020 foi um ano de enormes desafios. A pandemia de COVID-19 e os seus impactos negativos sobre os sistemas de saúde, sociais e económicos afetaram-nos a todos. O distanciamento social e os confinamentos em vários países, em diferentes momentos, impossibilitaram a Secretaria da CIP de organizar eventos presenciais ou oferecer programas de capacitação presencial. Esta situação deu à Secretaria a oportunidade de se reinventar e, para oferecer aos nossos membros uma capacitação pertinente para o setor portuário e marítimo, transformar-se num fornecedor relevante de capacitação e de atividades de desenvolvimento de capacidades on-line.

Neste contexto, a Secretaria agradece e reconhece o inestimável apoio da Autoridade Portuária Nacional do Peru, com a qual oferecemos 401 bolsas a funcionários portuários do Caribe e da América Latina de 29 Estados membros da CIP-OEA para 12 cursos on-line certificados de desenvolvimento profissional. Da mesma forma, com o apoio da Rede PBIP México e da Fundación Valenciaport, a Secretaria da CIP realizou 14 webinars que apresentaram a mais de 3.000 funcionários portuários de 27 Estados membros da CIP-OEA práticas bem-sucedidas, informação estratégica e tendências do setor em temas como proteção portuária, digitalização e automação, comércio, gestão de risco de desastres, dragagem, portos de cruzeiros, relação porto-cidade, governança portuária e logística. Ao encerrar este ano, a Secretaria da CIP pretende continuar esta sólida oferta de capacitação em 2021 e, se possível, retomar os eventos hemisféricos presenciais, como a XII Reunião da CIP, prevista para 19 a 21 de maio de 2021 em Buenos Aires, Argentina.

Esperando continuar a colaborar com os nossos membros para o desenvolvimento de um setor portuário competitivo, sustentável, seguro e inclusivo nas Américas, desejamos-lhes boas festas, com segurança e saúde, e o melhor para 2021.

A Secretaria da CIP: Mona, Montse, Sabina, Paola e Jorge""",
        "fr": """Joyeuses fêtes !
Message du Secrétariat de la CIP — décembre 2020 - janvier 2021

L'année 2020 a sans aucun doute été une année des plus difficiles. La pandémie de COVID-19 et ses effets négatifs sur les systèmes de santé, sociaux et économiques nous ont tous touchés. La distanciation sociale et les confinements dans plusieurs pays, à différents moments, ont empêché le Secrétariat de la CIP d'organiser des événements en présentiel ou de proposer des programmes de formation en personne. Cette situation a offert au Secrétariat l'occasion de se réinventer et, afin de fournir à nos membres une formation pertinente pour le secteur portuaire et maritime, de devenir un fournisseur reconnu de formation et d'activités de renforcement des capacités en ligne.

Dans ce contexte, le Secrétariat remercie et salue le soutien inestimable de l'Autorité portuaire nationale du Pérou, avec laquelle nous avons offert 401 bourses à des agents portuaires des Caraïbes et d'Amérique latine de 29 États membres de la CIP-OEA pour 12 cours en ligne certifiés de développement professionnel. De même, avec le soutien du Réseau international PBIP du Mexique et de la Fundación Valenciaport, le Secrétariat de la CIP a pu organiser 14 webinaires qui ont fait connaître à plus de 3 000 agents portuaires de 27 États membres de la CIP-OEA des pratiques réussies, des informations stratégiques et les tendances du secteur sur des thèmes tels que la sûreté portuaire, la numérisation et l'automatisation, le commerce, la gestion des risques de catastrophe, le dragage, les ports de croisière, la relation ville-port, la gouvernance portuaire et la logistique. Alors que l'année touche à sa fin, le Secrétariat de la CIP entend poursuivre cette solide offre de formation en 2021 et, si possible, renouer avec les événements hémisphériques en présentiel, comme la XIIe Réunion de la CIP, prévue du 19 au 21 mai 2021 à Buenos Aires, en Argentine.

Dans l'espoir de continuer à collaborer avec nos membres au développement d'un secteur portuaire compétitif, durable, sûr et inclusif dans les Amériques, nous vous souhaitons de joyeuses fêtes, en toute sécurité et en bonne santé, et le meilleur pour 2021.

Le Secrétariat de la CIP : Mona, Montse, Sabina, Paola et Jorge""",
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
            "fr": "Les délégations des États membres éliront le Comité exécutif et approuveront le Plan d'action. "
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
            "fr": "Nouveaux cours en ligne avec l'Autorité portuaire nationale du Pérou",
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
            "l'évaluation.",
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
