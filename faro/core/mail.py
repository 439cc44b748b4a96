"""Mail rendered in the recipient's language.

Templates live at `<app>/templates/<app>/emails/<name>_subject.txt`, `<name>.txt` and,
optionally, `<name>.html`. Services call `send_templated_mail` inside
`transaction.on_commit`, so nothing is sent for a write that rolls back.
"""

from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import translation


def render_mail(template: str, context: dict[str, Any], language: str) -> tuple[str, str, str | None]:
    """(subject, text, html or None) for `template` in `language`."""
    context = {"SITE_URL": settings.SITE_URL, **context}
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        text = render_to_string(f"{template}.txt", context)
        try:
            html: str | None = render_to_string(f"{template}.html", context)
        except TemplateDoesNotExist:
            html = None
    return subject, text, html


def build_mail(
    template: str,
    context: dict[str, Any],
    *,
    to: str,
    language: str,
    headers: dict[str, str] | None = None,
    attachments: list[tuple[str, bytes, str]] | None = None,
) -> EmailMultiAlternatives:
    subject, text, html = render_mail(template, context, language)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [to], headers=headers or {})
    if html:
        message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments or []:
        message.attach(filename, content, mimetype)
    return message


def send_templated_mail(template: str, context: dict[str, Any], *, to: str, language: str, **kwargs: Any) -> None:
    build_mail(template, context, to=to, language=language, **kwargs).send()
