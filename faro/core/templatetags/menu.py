"""The header's menu parts (`core/_menu_*.html`), rendered once per process for each kind of viewer.

Each part is a function of the viewer's links (`nav`, shared per kind of viewer by `nav_for`) and the
active language, except for two things that vary per request: which link is the page itself
(`aria-current="page"`, the part's `current_path`) and the page to come back to after choosing a
language (the part's `next_query`). A part is rendered with neither (no link current, a marker for the
return address) and kept in the `nav` it was rendered for; each request then marks its own link and
puts its own address in, which gives the same HTML as rendering the part with the request.
With `DEBUG` on (templates edited while the server runs) every part is rendered afresh.
"""

from typing import Any

from django import template
from django.conf import settings
from django.template.defaultfilters import urlencode
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

register = template.Library()

NEXT_MARKER = "\x00next\x00"  # never in a rendered part: NUL is not in Faro's templates or URLs


@register.simple_tag(takes_context=True)
def menu_fragment(context: template.Context, name: str) -> SafeString:
    request = context.get("request")
    path = getattr(request, "path", None)
    nav = context.get("nav")
    parts = nav.get("_html") if isinstance(nav, dict) and not settings.DEBUG else None
    if parts is None:  # a nav not from nav_for's cache, or DEBUG: render as it is
        return _render(context, name, current_path=path, next_query=_next_query(request))
    key = (name, get_language())
    html: str | None = parts.get(key)
    if html is None:
        html = parts[key] = _render(context, name, current_path=None, next_query=NEXT_MARKER)
    if path:
        link = f'<a href="{conditional_escape(path)}">'
        html = html.replace(link, f'{link[:-1]} aria-current="page">')
    if NEXT_MARKER in html:
        html = html.replace(NEXT_MARKER, _next_query(request))
    return mark_safe(html)  # parts of templates, escaped there; the address escaped above


def _next_query(request: Any) -> str:
    """`{{ request.get_full_path|urlencode }}` as the template would write it."""
    return str(conditional_escape(urlencode(request.get_full_path()))) if request is not None else ""


def _render(context: template.Context, name: str, **values: Any) -> SafeString:
    assert context.template is not None
    part = context.template.engine.get_template(name)
    with context.push(**values):
        return part.render(context)
