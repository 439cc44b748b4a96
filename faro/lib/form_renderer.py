"""Faro's form renderer: Django's standard widget, field, label and error templates rendered in Python.

Django renders every widget, every `<option>` of a select and every attribute list through its template
engine; on Faro's form pages that was half of the request's time. `FormRenderer` produces the same bytes as
Django's `DjangoTemplates` renderer (the default, which it extends) for the templates in `FAST` and
hands every other template (Faro's `core/widgets/translated.html`, a widget's own `template_name`) to
the engine as before. A check at the renderer's first render keeps the fast path safe through upgrades
and overrides: a template is rendered in Python only if the renderer's engine finds it in Django's own
folder, with the source this module was written against (its hash), and so are the templates it includes.

Within a fast template, anything the Python code does not follow exactly as the engine would (a value
that the engine would call, an `items` key in an attribute dict, a custom option template) raises
`_Fallback`, and the whole template goes to the engine; so does any other error (but a database
error), which the engine then raises or swallows just as it would have. `faro/tests/test_form_rendering.py`
compares both paths on every form of every app in every language, `faro/lib/tests/test_form_renderer.py`
widget by widget.
"""

import hashlib
import html
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import django.forms
from django.db import DatabaseError
from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates
from django.http import HttpRequest
from django.template import TemplateDoesNotExist
from django.utils.formats import localize
from django.utils.functional import cached_property
from django.utils.html import conditional_escape, strip_spaces_between_tags
from django.utils.safestring import SafeData, SafeString
from django.utils.timezone import template_localtime  # type: ignore[attr-defined]  # not in django-stubs

from faro.lib.templates import LazyLibraryTemplates

DJANGO_TEMPLATES = Path(django.forms.__file__).parent / "templates"


class _Fallback(Exception):
    """The Python path would not match the engine here: render this template with the engine."""


Render = Callable[["FormRenderer", Mapping[str, Any]], str]


# --- what the engine does to a value ---------------------------------------------------------------


def _v(value: Any) -> Any:
    """A looked-up value; the engine would call a callable one, so that case goes to the engine."""
    if callable(value):
        raise _Fallback
    return value


def _text(value: Any) -> str:
    """`{{ value }}`: localised, turned into text, escaped unless safe (`render_value_in_context`)."""
    if type(value) is str:
        return html.escape(value)
    value = localize(template_localtime(_v(value)))
    if not issubclass(type(value), str):
        value = str(value)
    return conditional_escape(value)


def _formatted(value: Any) -> str:
    """`{{ value|stringformat:'s' }}`, escaped as the engine escapes the filter's result."""
    if type(value) is str:
        return html.escape(value)
    safe = isinstance(_v(value), SafeData)
    if isinstance(value, tuple):
        value = str(value)
    try:
        text = "%s" % value  # noqa: UP031 — the filter's own formatting, exactly
    except (ValueError, TypeError):
        return ""
    return SafeString(text) if safe else html.escape(text)


def _attrs(attrs: Any) -> str:
    """`django/forms/(widgets/)attrs.html`: ` name="value"` pairs, ` name` for True, nothing for False."""
    if attrs is None:  # `attrs.items` fails to resolve: the loop has nothing to loop over
        return ""
    if type(attrs) is not dict or "items" in attrs:  # the engine would look up the key "items" first
        raise _Fallback
    parts = []
    for name, value in attrs.items():
        if _v(value) is False:
            continue
        if value is True:
            parts.append(f" {_text(name)}")
        else:
            parts.append(f' {_text(name)}="{_formatted(value)}"')
    return "".join(parts)


def _nested(renderer: "FormRenderer", widget: Mapping[str, Any]) -> str:
    """`{% include widget.template_name %}`: only a fast template, else the whole outer one falls back."""
    render = renderer.fast_templates.get(_v(widget["template_name"]))
    if render is None:
        raise _Fallback
    return render(renderer, {"widget": widget})


# --- widgets ----------------------------------------------------------------------------------------


def _input(_renderer: "FormRenderer", context: Mapping[str, Any]) -> str:
    widget = context["widget"]
    value = _v(widget.get("value"))
    shown = f' value="{_formatted(value)}"' if value != None else ""  # noqa: E711 — the template's `!= None`
    return f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"{shown}{_attrs(widget["attrs"])}>\n'


def _input_include(renderer: "FormRenderer", context: Mapping[str, Any]) -> str:
    """text.html, email.html, …: `{% include "django/forms/widgets/input.html" %}` and a newline."""
    return _input(renderer, context) + "\n"


def _input_option(renderer: "FormRenderer", context: Mapping[str, Any]) -> str:
    widget = context["widget"]
    if not _v(widget.get("wrap_label")):
        return _input(renderer, context) + "\n"
    target = _v(widget["attrs"].get("id"))
    opening = f'<label for="{_text(target)}">' if target else "<label>"
    return f"{opening}{_input(renderer, context)} {_text(widget['label'])}</label>\n"


def _input_option_include(renderer: "FormRenderer", context: Mapping[str, Any]) -> str:
    """radio_option.html, checkbox_option.html: include input_option.html and a newline."""
    return _input_option(renderer, context) + "\n"


def _textarea(_renderer: "FormRenderer", context: Mapping[str, Any]) -> str:
    widget = context["widget"]
    value = _v(widget.get("value"))
    shown = _text(value) if value else ""
    return f'<textarea name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>\n{shown}</textarea>\n'


def _select(renderer: "FormRenderer", context: Mapping[str, Any]) -> str:
    widget = context["widget"]
    parts = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in _v(widget["optgroups"]):
        if _v(group_name):
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in group_choices:
            parts.append("\n  ")
            parts.append(_nested(renderer, option))
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>\n")
    return "".join(parts)


def _select_option(_renderer: "FormRenderer", context: Mapping[str, Any]) -> str:
    widget = context["widget"]
    return f'<option value="{_formatted(widget["value"])}"{_attrs(widget["attrs"])}>{_text(widget["label"])}</option>\n'


def _multiple_input(renderer: "FormRenderer", context: Mapping[str, Any]) -> str:
    widget = context["widget"]
    attrs = _v(widget["attrs"])
    if type(attrs) is not dict:
        raise _Fallback
    id_, class_ = _v(attrs.get("id")), _v(attrs.get("class"))
    shown_id = f' id="{_text(id_)}"' if id_ else ""
    shown_class = f' class="{_text(class_)}"' if class_ else ""
    parts = [f"<div{shown_id}{shown_class}>"]
    for group, options, _index in _v(widget["optgroups"]):
        if _v(group):
            parts.append(f"\n  <div><label>{_text(group)}</label>")
        for option in options:
            parts.append(f"<div>\n    {_nested(renderer, option)}</div>")
        if group:
            parts.append("\n  </div>")
    parts.append("\n</div>\n")
    return "".join(parts)


def _multiple_input_include(renderer: "FormRenderer", context: Mapping[str, Any]) -> str:
    """radio.html, checkbox_select.html: include multiple_input.html and a newline."""
    return _multiple_input(renderer, context) + "\n"


def _multiwidget(renderer: "FormRenderer", context: Mapping[str, Any]) -> str:
    inner = "".join(_nested(renderer, sub) for sub in _v(context["widget"]["subwidgets"]))
    return strip_spaces_between_tags(inner.strip()) + "\n"


def _multiwidget_include(renderer: "FormRenderer", context: Mapping[str, Any]) -> str:
    """splitdatetime.html, select_date.html, …: include multiwidget.html and a newline."""
    return _multiwidget(renderer, context) + "\n"


# --- fields, labels, errors, forms ------------------------------------------------------------------


def _bound_field(value: Any) -> BoundField:
    """A BoundField whose lookups the engine resolves as attributes (its `[name]` raises TypeError)."""
    if not isinstance(value, BoundField) or type(value).__getitem__ is not BoundField.__getitem__:
        raise _Fallback
    return value


def _label(_renderer: "FormRenderer", context: Mapping[str, Any]) -> str:
    label = _text(context["label"])
    if not _v(context["use_tag"]):
        return label + "\n"
    tag = _text(context["tag"])
    return f"<{tag}{_attrs(_v(context['attrs']))}>{label}</{tag}>\n"


def _error_list(_renderer: "FormRenderer", context: Mapping[str, Any]) -> str:
    """errors/list/default.html (which includes ul.html) and ul.html: no newline at the end of either."""
    errors = _v(context["errors"])
    if not errors:
        return ""
    field_id = _v(getattr(errors, "field_id", None))
    shown_id = f' id="{_text(field_id)}_error"' if field_id else ""
    opening = f'<ul class="{_text(context["error_class"])}"{shown_id}>'
    return opening + "".join(f"<li>{_text(error)}</li>" for error in errors) + "</ul>"


def _error_dict(_renderer: "FormRenderer", context: Mapping[str, Any]) -> str:
    """errors/dict/default.html: include ul.html (which ends with a newline)."""
    errors = _v(context["errors"])
    if not errors:
        return "\n"
    items = "".join(f"<li>{_text(field)}{_text(error)}</li>" for field, error in errors)
    return f'<ul class="{_text(context["error_class"])}">{items}</ul>\n'


def _field(_renderer: "FormRenderer", context: Mapping[str, Any]) -> str:
    field = _bound_field(context["field"])
    fieldset = _v(field.use_fieldset)
    if fieldset:
        described = _v(field.aria_describedby)
        aria = f' aria-describedby="{_text(described)}"' if described else ""
        head = f"\n  <fieldset{aria}>\n  {_text(field.legend_tag()) if _v(field.label) else ''}\n"
    else:
        head = f"\n  {_text(field.label_tag()) if _v(field.label) else ''}\n"
    help_text = ""
    if _v(field.help_text):
        auto_id = _v(field.auto_id)
        help_id = f' id="{_text(auto_id)}_helptext"' if auto_id else ""
        help_text = f'<div class="helptext"{help_id}>{field.help_text}</div>'
    closing = "</fieldset>" if fieldset else ""
    return f"{head}\n{help_text}\n{_text(field.errors)}\n{_text(field)}{closing}\n"


def _div(_renderer: "FormRenderer", context: Mapping[str, Any]) -> str:
    errors, fields = _v(context["errors"]), _v(context["fields"])
    hidden = "".join(_text(_bound_field(field)) for field in _v(context["hidden_fields"]))
    parts = [_text(errors), "\n"]
    if errors and not fields:
        parts.append(f"\n  <div>{hidden}</div>\n")
    parts.append("\n")
    for number, (field, _errors) in enumerate(fields, start=1):
        classes = _v(_bound_field(field).css_classes())
        shown_classes = f' class="{_text(classes)}"' if classes else ""
        parts.append(f"\n  <div{shown_classes}>\n    {_text(field.as_field_group())}\n    ")
        if number == len(fields):
            parts.append(f"\n      {hidden}\n    ")
        parts.append("\n</div>\n")
    parts.append("\n")
    if not fields and not errors:
        parts.append(f"\n  {hidden}\n")
    parts.append("\n")
    return "".join(parts)


WIDGETS = "django/forms/widgets/"
INPUTS: tuple[str, ...] = ("checkbox", "color", "date", "datetime", "email", "file", "hidden", "number", "password")
INPUTS += ("search", "tel", "text", "time", "url")
MULTIWIDGETS = ("multiple_hidden", "select_date", "splitdatetime", "splithiddendatetime")

# Template name -> (its Python rendering, the standard templates it includes).
FAST: dict[str, tuple[Render, tuple[str, ...]]] = {
    f"{WIDGETS}attrs.html": (lambda _r, c: _attrs(c["widget"]["attrs"]), ()),
    f"{WIDGETS}input.html": (_input, (f"{WIDGETS}attrs.html",)),
    **{f"{WIDGETS}{name}.html": (_input_include, (f"{WIDGETS}input.html", f"{WIDGETS}attrs.html")) for name in INPUTS},
    f"{WIDGETS}input_option.html": (_input_option, (f"{WIDGETS}input.html", f"{WIDGETS}attrs.html")),
    **{
        f"{WIDGETS}{name}_option.html": (
            _input_option_include,
            (f"{WIDGETS}input_option.html", f"{WIDGETS}input.html", f"{WIDGETS}attrs.html"),
        )
        for name in ("radio", "checkbox")
    },
    f"{WIDGETS}textarea.html": (_textarea, (f"{WIDGETS}attrs.html",)),
    f"{WIDGETS}select.html": (_select, (f"{WIDGETS}attrs.html",)),
    f"{WIDGETS}select_option.html": (_select_option, (f"{WIDGETS}attrs.html",)),
    f"{WIDGETS}multiple_input.html": (_multiple_input, ()),
    **{
        f"{WIDGETS}{name}.html": (_multiple_input_include, (f"{WIDGETS}multiple_input.html",))
        for name in ("radio", "checkbox_select")
    },
    f"{WIDGETS}multiwidget.html": (_multiwidget, ()),
    **{f"{WIDGETS}{name}.html": (_multiwidget_include, (f"{WIDGETS}multiwidget.html",)) for name in MULTIWIDGETS},
    "django/forms/label.html": (_label, ("django/forms/attrs.html",)),
    "django/forms/errors/list/default.html": (_error_list, ("django/forms/errors/list/ul.html",)),
    "django/forms/errors/list/ul.html": (_error_list, ()),
    "django/forms/errors/dict/default.html": (_error_dict, ("django/forms/errors/dict/ul.html",)),
    "django/forms/field.html": (_field, ()),
    "django/forms/div.html": (_div, ()),
}

# The sources the Python above follows (Django 5.2), by their SHA-256's first 16 hex digits: an upgrade
# that changes one of them sends it back to the engine until this module is brought up to date.
SOURCES: dict[str, str] = {
    "django/forms/attrs.html": "5053e00975c20246",
    "django/forms/div.html": "3e02521a51175cb9",
    "django/forms/errors/dict/default.html": "b45b707c7964398f",
    "django/forms/errors/dict/ul.html": "eb911824ea83027e",
    "django/forms/errors/list/default.html": "2a6c759f0af3438f",
    "django/forms/errors/list/ul.html": "84f81a22e37d9f5a",
    "django/forms/field.html": "fd3b0b7c28d88f5b",
    "django/forms/label.html": "d1b2427488fc1b97",
    "django/forms/widgets/attrs.html": "f729483efe44660f",
    "django/forms/widgets/checkbox.html": "7d7a5bc4ccc075bb",
    "django/forms/widgets/checkbox_option.html": "536745b405ef3a7f",
    "django/forms/widgets/checkbox_select.html": "fa86f6eaeaa6beb1",
    "django/forms/widgets/color.html": "7d7a5bc4ccc075bb",
    "django/forms/widgets/date.html": "7d7a5bc4ccc075bb",
    "django/forms/widgets/datetime.html": "7d7a5bc4ccc075bb",
    "django/forms/widgets/email.html": "7d7a5bc4ccc075bb",
    "django/forms/widgets/file.html": "7d7a5bc4ccc075bb",
    "django/forms/widgets/hidden.html": "7d7a5bc4ccc075bb",
    "django/forms/widgets/input.html": "770cf3acba1c18b6",
    "django/forms/widgets/input_option.html": "3f244d9fd96613d0",
    "django/forms/widgets/multiple_hidden.html": "4f9e3e9f565e5254",
    "django/forms/widgets/multiple_input.html": "8f111646a577d9ae",
    "django/forms/widgets/multiwidget.html": "b2593802009d5e75",
    "django/forms/widgets/number.html": "7d7a5bc4ccc075bb",
    "django/forms/widgets/password.html": "7d7a5bc4ccc075bb",
    "django/forms/widgets/radio.html": "fa86f6eaeaa6beb1",
    "django/forms/widgets/radio_option.html": "536745b405ef3a7f",
    "django/forms/widgets/search.html": "7d7a5bc4ccc075bb",
    "django/forms/widgets/select.html": "ed4d11ce3784486f",
    "django/forms/widgets/select_date.html": "03368f2e534b83dd",
    "django/forms/widgets/select_option.html": "37fa6c7742580aa3",
    "django/forms/widgets/splitdatetime.html": "03368f2e534b83dd",
    "django/forms/widgets/splithiddendatetime.html": "03368f2e534b83dd",
    "django/forms/widgets/tel.html": "7d7a5bc4ccc075bb",
    "django/forms/widgets/text.html": "7d7a5bc4ccc075bb",
    "django/forms/widgets/textarea.html": "02fd58fa1a57514d",
    "django/forms/widgets/time.html": "7d7a5bc4ccc075bb",
    "django/forms/widgets/url.html": "7d7a5bc4ccc075bb",
}


def source_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


class FormRenderer(DjangoTemplates):
    """Django's default renderer, with its standard templates rendered in Python (see the module)."""

    backend = LazyLibraryTemplates  # its engine, like the site's, imports a tag library on first use

    def render(self, template_name: str, context: dict[str, Any], request: HttpRequest | None = None) -> str:
        render = self.fast_templates.get(template_name)
        if render is not None and request is None:
            try:
                return render(self, context).strip()
            except DatabaseError:  # not a template's failure: the engine would meet it too, later
                raise
            except Exception:  # noqa: S110 — the engine renders it, raising or not as it would
                pass
        return self.render_with_engine(template_name, context, request)

    def render_with_engine(self, template_name: str, context: dict[str, Any], request: HttpRequest | None) -> str:
        return super().render(template_name, context, request=request)

    @cached_property
    def fast_templates(self) -> dict[str, Render]:
        """The templates of `FAST` that this renderer's engine finds as Django ships them, with their includes."""
        names = {*FAST, *(name for _render, includes in FAST.values() for name in includes)}
        standard = {name for name in names if self.is_standard(name)}
        return {name: render for name, (render, includes) in FAST.items() if {name, *includes} <= standard}

    def is_standard(self, template_name: str) -> bool:
        try:
            template = self.get_template(template_name).template
        except TemplateDoesNotExist:
            return False
        if template.origin.name != str(DJANGO_TEMPLATES / template_name):
            return False
        return SOURCES.get(template_name) == source_hash(template.source)
