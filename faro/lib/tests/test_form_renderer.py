"""Each standard widget, label and error list gives the same bytes through `FormRenderer` as through Django's
templates, with values that need escaping, booleans, None, groups, several selected, required and disabled;
and templates the Python path does not follow (an override, another source, a custom option template,
a value the engine would call) are left to the engine."""

import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django import forms
from django.db import DatabaseError
from django.forms.renderers import DjangoTemplates
from django.template.backends.django import DjangoTemplates as DjangoBackend
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy, override

from faro.lib import form_renderer
from faro.lib.form_renderer import FormRenderer

TRICKY = 'O\'Brien & <Co> "Ltd"'
GROUPED = [
    ("", "---------"),
    ("Caribbean <&>", [("jm", "Jamaica"), ("tt", TRICKY)]),
    ("Andes", [("pe", "Perú"), ("cl", mark_safe("<b>Chile</b>"))]),
    ("x", 1234.5),
]


class StrictRenderer(FormRenderer):
    """Never hands a fast template to the engine: a test through it proves the Python path rendered."""

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        render = self.fast_templates.get(template_name)
        if render is not None:
            return render(self, context).strip()
        return super().render(template_name, context, request)


FAST, STRICT, SLOW = FormRenderer(), StrictRenderer(), DjangoTemplates()


def _same(widget: forms.Widget, value: Any, attrs: dict[str, Any] | None = None, *, strict: bool = True) -> str:
    slow = widget.render("field", value, attrs, renderer=SLOW)
    assert widget.render("field", value, attrs, renderer=FAST) == slow
    if strict:
        assert widget.render("field", value, attrs, renderer=STRICT) == slow
    return slow


ATTRS = {
    "id": "id_x",
    "required": True,
    "disabled": False,
    "one": 1,
    "zero": 0,
    "data-a": TRICKY,
    "n": 3,
    "none": None,
    "safe": mark_safe("<&>"),
}

CASES: list[tuple[forms.Widget, Any]] = [
    (forms.TextInput(), TRICKY),
    (forms.TextInput(), None),
    (forms.TextInput(), ""),
    (forms.TextInput(attrs={"placeholder": gettext_lazy("Email")}), mark_safe("<i>safe</i>")),
    (forms.EmailInput(attrs={"autocomplete": "email"}), "a&b@example.org"),
    (forms.PasswordInput(render_value=True), "s3<cr>t"),
    (forms.PasswordInput(), "hidden"),
    (forms.HiddenInput(), 42),
    (forms.NumberInput(attrs={"min": 0, "step": Decimal("0.5")}), 7),
    (forms.URLInput(), "https://example.org/?a=1&b=2"),
    (forms.DateInput(), datetime.date(2026, 12, 3)),
    (forms.DateInput(attrs={"type": "date"}), "2026-12-03"),
    (forms.DateTimeInput(), datetime.datetime(2026, 12, 3, 10, 30)),
    (forms.TimeInput(), datetime.time(10, 30)),
    (forms.SearchInput(), TRICKY),
    (forms.TelInput(), "+1 (876) 555"),
    (forms.ColorInput(), "#ff0000"),
    (forms.FileInput(), None),
    (forms.Textarea(attrs={"rows": 2}), f"line 1\n{TRICKY}"),
    (forms.Textarea(), ""),
    (forms.Textarea(), None),
    (forms.CheckboxInput(), True),
    (forms.CheckboxInput(), False),
    (forms.CheckboxInput(), "on"),
    (forms.Select(choices=GROUPED), "tt"),
    (forms.Select(choices=GROUPED), None),
    (forms.Select(choices=[(1, "one"), (2, "two"), (True, "yes"), (None, "none")]), 2),
    (forms.Select(choices=[("a", "A")], attrs={"disabled": True, "class": "x"}), "a"),
    (forms.SelectMultiple(choices=GROUPED), ["jm", "pe", "cl"]),
    (forms.SelectMultiple(choices=GROUPED), []),
    (forms.NullBooleanSelect(), None),
    (forms.NullBooleanSelect(), True),
    (forms.RadioSelect(choices=GROUPED), "pe"),
    (forms.RadioSelect(choices=[("a", TRICKY), ("b", "B")], attrs={"class": "inline"}), "b"),
    (forms.CheckboxSelectMultiple(choices=GROUPED), ["jm", "cl"]),
    (forms.CheckboxSelectMultiple(choices=[]), None),
    (forms.SplitDateTimeWidget(), datetime.datetime(2026, 12, 3, 10, 30)),
    (forms.SplitHiddenDateTimeWidget(), None),
    (forms.MultipleHiddenInput(), ["a", TRICKY]),
    (forms.SelectDateWidget(years=[2026, 2027]), datetime.date(2026, 12, 3)),
]


@pytest.mark.parametrize(("widget", "value"), CASES, ids=lambda case: type(case).__name__)
@pytest.mark.parametrize("attrs", [None, ATTRS], ids=["plain", "tricky attrs"])
def test_each_widget_renders_the_same_bytes(widget: forms.Widget, value: Any, attrs: dict[str, Any] | None) -> None:
    assert _same(widget, value, attrs) != ""


@pytest.mark.parametrize("language", ["en", "fr"])
def test_labels_are_localised_as_the_engine_localises_them(language: str) -> None:
    with override(language):
        html = _same(forms.Select(choices=[("a", 1234.5), ("b", datetime.date(2026, 12, 3))]), "a")
    assert ("1234,5" in html) is (language == "fr")


def test_a_radio_option_and_a_checkbox_rendered_alone_are_the_same() -> None:
    field = forms.Form()
    field.fields["choice"] = forms.ChoiceField(choices=[("a", TRICKY), ("b", "B")], widget=forms.RadioSelect)
    radios = list(field["choice"])
    assert [str(radio) for radio in radios] == [radio.tag(wrap_label=True) for radio in radios]
    context = {"widget": {**radios[0].data, "wrap_label": False}}
    name = "django/forms/widgets/radio_option.html"
    assert STRICT.render(name, context) == SLOW.render(name, context)


class Profile(forms.Form):
    name = forms.CharField(label=TRICKY, help_text=mark_safe("<em>as on your passport</em>"), max_length=5)
    country = forms.ChoiceField(label=gettext_lazy("Member state"), choices=GROUPED)
    topics = forms.MultipleChoiceField(choices=GROUPED, widget=forms.CheckboxSelectMultiple, required=False)
    agree = forms.BooleanField(label="Agree?")
    secret = forms.CharField(widget=forms.HiddenInput, required=False)
    kind = forms.ChoiceField(choices=[("a", "A")], widget=forms.RadioSelect, disabled=True, required=False)


@pytest.mark.parametrize("data", [None, {}, {"name": TRICKY, "country": "tt", "topics": ["jm", "cl"], "secret": "<x>"}])
@pytest.mark.parametrize("error_css", [False, True])
def test_fields_labels_errors_and_the_form_render_the_same(data: dict[str, Any] | None, error_css: bool) -> None:
    def html(renderer: DjangoTemplates) -> list[str]:
        form = Profile(data, renderer=renderer, auto_id="f-%s")
        if error_css:
            form.error_css_class, form.required_css_class = "error", "required"  # type: ignore[attr-defined]
        if data is not None:
            form.is_valid()
            form.add_error(None, TRICKY)
            form.add_error("secret", "hidden <problem>")
        fields = [
            part for f in form for part in (str(f), f.as_field_group(), f.label_tag(), f.legend_tag(), str(f.errors))
        ]
        return [form.as_div(), str(form.non_field_errors()), str(form.errors), *fields]

    assert html(STRICT) == html(SLOW)


def test_a_form_with_only_hidden_fields_renders_the_same() -> None:
    class Management(forms.Form):
        total = forms.IntegerField(widget=forms.HiddenInput, initial=3)

    assert Management(renderer=STRICT).as_div() == Management(renderer=SLOW).as_div()
    assert Management({}, renderer=STRICT).as_div() == Management({}, renderer=SLOW).as_div()


def test_the_fast_path_is_what_renders() -> None:
    """Guards the tests above: the strict renderer does not go to the engine for a standard template."""
    assert "django/forms/widgets/select_option.html" in FAST.fast_templates
    assert set(FAST.fast_templates) == set(form_renderer.FAST)


class OverridingRenderer(FormRenderer):
    """A renderer whose engine finds a project's own `select_option.html` before Django's."""

    folder: Path

    @cached_property
    def engine(self) -> DjangoBackend:
        return DjangoBackend(
            {
                "APP_DIRS": True,
                "DIRS": [self.folder, form_renderer.DJANGO_TEMPLATES],
                "NAME": "overriding",
                "OPTIONS": {},
            }
        )


def test_an_overridden_template_is_left_to_the_engine(tmp_path: Path) -> None:
    option = tmp_path / "django" / "forms" / "widgets" / "select_option.html"
    option.parent.mkdir(parents=True)
    option.write_text('<option value="{{ widget.value }}">overridden {{ widget.label }}</option>')
    renderer = OverridingRenderer()
    renderer.folder = tmp_path
    html = forms.Select(choices=[("a", "A")]).render("f", "a", renderer=renderer)
    assert "django/forms/widgets/select_option.html" not in renderer.fast_templates
    assert "django/forms/widgets/select.html" in renderer.fast_templates  # its options go to the engine
    assert '<option value="a">overridden A</option>' in html


def test_a_template_whose_source_changed_is_left_to_the_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(form_renderer.SOURCES, "django/forms/widgets/attrs.html", "another source")
    renderer = FormRenderer()
    assert "django/forms/widgets/input.html" not in renderer.fast_templates
    assert "django/forms/widgets/select_option.html" not in renderer.fast_templates
    assert "django/forms/label.html" in renderer.fast_templates  # its attrs.html is another file


def test_a_custom_option_template_and_other_templates_go_to_the_engine() -> None:
    class Custom(forms.Select):
        option_template_name = "django/forms/widgets/input.html"  # any template other than the option's

    html = _same(Custom(choices=[("a", TRICKY)]), "a", strict=False)
    assert html.startswith('<select name="field">')

    class Translated(forms.Form):
        from faro.core.fields import TranslatedFormField

        title = TranslatedFormField()

    assert str(Translated(renderer=FAST)["title"]) == str(Translated(renderer=SLOW)["title"])


def test_values_the_engine_would_call_or_look_up_otherwise_render_as_the_engine_renders_them() -> None:
    html = _same(forms.TextInput(attrs={"data-f": lambda: "called <&>"}), TRICKY, strict=False)
    assert 'data-f="called &lt;&amp;&gt;"' in html
    assert "label" in _same(forms.Select(choices=[("v", lambda: "label")]), None, strict=False)
    # The engine looks up an attribute named "items" before the dict's own method, and fails on it.
    with pytest.raises(ValueError, match="unpack"):
        forms.TextInput(attrs={"items": "x"}).render("f", "", renderer=FAST)


def test_a_database_error_is_raised_as_it_happens_not_rendered_again() -> None:
    def failing() -> list[tuple[str, str]]:
        raise DatabaseError("the connection went away")

    class Broken(forms.Form):
        state = forms.ChoiceField(choices=failing)  # read when the widget renders

    class Recording(FormRenderer):
        to_engine: list[str] = []

        def render_with_engine(self, template_name: str, context: dict[str, Any], request: Any) -> str:
            self.to_engine.append(template_name)
            return super().render_with_engine(template_name, context, request)

    with pytest.raises(DatabaseError):
        Broken(renderer=Recording()).as_div()
    assert Recording.to_engine == []
