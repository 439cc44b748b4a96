"""Demo: the 2020 certificates (course completions, webinar participation), via the real bulk path.

Idempotent: templates are created once, and the bulk issue only fills in what is missing.
A programme whose models are not installed is skipped.
"""

from collections.abc import Callable
from typing import Any

from faro.certificates.models import CertificateTemplate, Kind
from faro.certificates.programme_adapters import ADAPTERS
from faro.certificates.services import default_template, issue_eligible_certificates, save_template

WORDING = {
    Kind.COURSE: (
        {
            "en": "Certificate of completion",
            "es": "Certificado de aprobación",
            "pt": "Certificado de conclusão",
            "fr": "Certificat de réussite",
        },
        {
            "en": "This certifies that {name} completed the course “{achievement}”, which ended on {date}.",
            "es": "Se certifica que {name} aprobó el curso «{achievement}», finalizado el {date}.",
            "pt": "Certifica-se que {name} concluiu com êxito o curso “{achievement}”, encerrado em {date}.",
            "fr": "Nous certifions que {name} a suivi avec succès le cours « {achievement} », achevé le {date}.",
        },
    ),
    Kind.WEBINAR: (
        {
            "en": "Certificate of participation",
            "es": "Constancia de participación",
            "pt": "Certificado de participação",
            "fr": "Attestation de participation",
        },
        {
            "en": "This certifies that {name} took part in the webinar “{achievement}” on {date}.",
            "es": "Se hace constar que {name} participó en el webinario «{achievement}» el {date}.",
            "pt": "Certifica-se que {name} participou do webinar “{achievement}” em {date}.",
            "fr": "Nous attestons que {name} a participé au webinaire « {achievement} » le {date}.",
        },
    ),
    Kind.MEETING: (
        {
            "en": "Certificate of attendance",
            "es": "Constancia de asistencia",
            "pt": "Certificado de presença",
            "fr": "Attestation de présence",
        },
        {
            "en": "This certifies that {name} attended “{achievement}” on {date}.",
            "es": "Se hace constar que {name} asistió a «{achievement}» el {date}.",
            "pt": "Certifica-se que {name} esteve presente em “{achievement}” em {date}.",
            "fr": "Nous attestons que {name} a assisté à « {achievement} » le {date}.",
        },
    ),
}


def ensure_templates() -> None:
    for kind, (heading, body) in WORDING.items():
        if default_template(kind) is None:
            template = CertificateTemplate(
                name=str(Kind(kind).label), kind=kind, is_default=True, heading=heading, body=body
            )
            save_template(template, acting_user=None)
            template.signatories.create(
                name="Jorge Durán",
                title={
                    "en": "Executive Secretary, CIP",
                    "es": "Secretario Ejecutivo, CIP",
                    "pt": "Secretário Executivo, CIP",
                    "fr": "Secrétaire exécutif, CIP",
                },
            )


def _sources_2020(kind: str) -> list[Any]:
    adapter = ADAPTERS[kind]
    return [s for s in adapter.choices() if adapter.achieved_on(s).year == 2020 and adapter.is_held(s)]


def load(out: Callable[[str], None]) -> None:
    ensure_templates()
    total = 0
    for kind in (Kind.COURSE, Kind.WEBINAR):
        if kind not in ADAPTERS:
            out(f"Certificates: {kind} skipped (programme not installed).")
            continue
        template = default_template(kind)
        assert template is not None
        for source in _sources_2020(kind):
            total += issue_eligible_certificates(kind, source, acting_user=None, template=template)
    out(f"Certificates: {total} new 2020 certificates issued.")
