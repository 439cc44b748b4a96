"""Templates stay readable: no line over 160 characters, no status compared by its stored string.

A status test belongs to the model (`{% if call.is_in_review %}`), where the name says what it
means and a renamed status fails loudly. Long lines are debt being paid down: the files in
long_template_lines.json may keep at most the count recorded there (the count only goes down);
every other template has none.
"""

import json
import re
from pathlib import Path

import pytest

FARO = Path(__file__).resolve().parent.parent
TEMPLATES = sorted(FARO.glob("*/templates/**/*.html"))
LIMIT = 160
KNOWN_LONG = json.loads((Path(__file__).parent / "long_template_lines.json").read_text())
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
    allowed = KNOWN_LONG.get(name(template), 0)
    found = long_lines(template)
    assert len(found) <= allowed, f"{name(template)}: lines over {LIMIT} characters: {found}"


@pytest.mark.parametrize("template", TEMPLATES, ids=name)
def test_no_template_compares_a_status_string(template: Path) -> None:
    text = template.read_text(encoding="utf-8")
    found = [n for n, line in enumerate(text.splitlines(), 1) if STATUS_STRING.search(line)]
    assert found == [], f"{name(template)}: use a model property instead of .status == '…' on lines {found}"


def test_the_known_long_lines_only_name_templates_that_exist() -> None:
    assert sorted(set(KNOWN_LONG) - {name(t) for t in TEMPLATES}) == []


def test_the_checks_catch_what_they_look_for(tmp_path: Path) -> None:
    assert STATUS_STRING.search('{% if call.status == "review" %}')
    assert STATUS_STRING.search("{% if webinar.status != 'draft' %}")
    assert not STATUS_STRING.search("{% if call.is_in_review %}")
    template = tmp_path / "page.html"
    template.write_text("<p>short</p>\n" + "<p>" + "x" * LIMIT + "</p>\n", encoding="utf-8")
    assert long_lines(template) == [2]
