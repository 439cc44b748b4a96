"""Templates stay readable: no line over 160 characters, no status compared by its stored string.

A status test belongs to the model (`{% if call.is_in_review %}`), where the name says what it
means and a renamed status fails loudly. HTML templates put one element per line, so none has a
line over the limit. Plain-text mail templates (`*.txt`) are not checked: their lines are the
mail's own text, and wrapping them would change the mail a person receives.
"""

import re
from pathlib import Path

import pytest

FARO = Path(__file__).resolve().parent.parent
TEMPLATES = sorted(FARO.glob("*/templates/**/*.html"))
MAIL_TEXTS = sorted(FARO.glob("*/templates/**/*.txt"))  # exempt from the limit: see the docstring
LIMIT = 160
STATUS_STRING = re.compile(r"""\.status\s*(==|!=|in)\s*["']""")


def name(template: Path) -> str:
    return str(template.relative_to(FARO))


def long_lines(template: Path) -> list[int]:
    lines = template.read_text(encoding="utf-8").splitlines()
    return [number for number, line in enumerate(lines, 1) if len(line) > LIMIT]


def test_templates_are_found() -> None:
    assert len(TEMPLATES) > 100


@pytest.mark.parametrize("template", TEMPLATES, ids=name)
def test_no_template_line_is_over_the_limit(template: Path) -> None:
    assert long_lines(template) == [], f"{name(template)}: lines over {LIMIT} characters"


def test_only_html_templates_are_held_to_the_limit() -> None:
    """Anything under templates/ is either checked (.html) or a mail text exempt on purpose (.txt)."""
    every = {path for path in FARO.glob("*/templates/**/*") if path.is_file()}
    assert sorted(name(path) for path in every - set(TEMPLATES) - set(MAIL_TEXTS)) == []


@pytest.mark.parametrize("template", TEMPLATES, ids=name)
def test_no_template_compares_a_status_string(template: Path) -> None:
    text = template.read_text(encoding="utf-8")
    found = [n for n, line in enumerate(text.splitlines(), 1) if STATUS_STRING.search(line)]
    assert found == [], f"{name(template)}: use a model property instead of .status == '…' on lines {found}"


def test_the_checks_catch_what_they_look_for(tmp_path: Path) -> None:
    assert STATUS_STRING.search('{% if call.status == "review" %}')
    assert STATUS_STRING.search("{% if webinar.status != 'draft' %}")
    assert not STATUS_STRING.search("{% if call.is_in_review %}")
    template = tmp_path / "page.html"
    template.write_text("<p>short</p>\n" + "<p>" + "x" * LIMIT + "</p>\n", encoding="utf-8")
    assert long_lines(template) == [2]
