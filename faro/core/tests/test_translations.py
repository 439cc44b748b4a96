"""Every app's message catalogue is complete (no untranslated or fuzzy entry) and current."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

FARO = Path(settings.BASE_DIR) / "faro"
TARGET_LANGUAGES = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
APP_DIRS = sorted(d for d in FARO.iterdir() if (d / "apps.py").exists() or d.name == "lib")


def extract_messages(app_dir: Path, workdir: Path) -> set[tuple[str, str]]:
    """Run makemessages on a copy of the app and return the (context, msgid) pairs it finds."""
    copy = workdir / app_dir.name
    shutil.copytree(app_dir, copy, ignore=shutil.ignore_patterns("tests", "migrations", "__pycache__", "locale"))
    (copy / "locale").mkdir()
    env = {**os.environ, "PYTHONPATH": str(settings.BASE_DIR), "DJANGO_SETTINGS_MODULE": "faro.settings"}
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "es", "--no-location", "-v0"],
        cwd=copy,
        env=env,
        check=True,
    )
    po_path = copy / "locale" / "es" / "LC_MESSAGES" / "django.po"
    if not po_path.exists():
        return set()
    return {(entry.msgctxt or "", entry.msgid) for entry in polib.pofile(str(po_path))}


@pytest.mark.parametrize("app_dir", APP_DIRS, ids=lambda d: d.name)
def test_catalogue_is_complete_and_current(app_dir: Path, tmp_path: Path) -> None:
    extracted = extract_messages(app_dir, tmp_path)
    for language in TARGET_LANGUAGES:
        po_path = app_dir / "locale" / language / "LC_MESSAGES" / "django.po"
        if not extracted:
            continue
        assert po_path.exists(), f"{po_path} is missing; run `make translations`"
        catalogue = polib.pofile(str(po_path))
        known = {(entry.msgctxt or "", entry.msgid) for entry in catalogue if not entry.obsolete}
        missing = sorted(msgid for _ctx, msgid in extracted - known)
        assert not missing, f"{po_path}: not in the catalogue (run `make translations`): {missing[:10]}"
        untranslated = [e.msgid for e in catalogue.untranslated_entries() if (e.msgctxt or "", e.msgid) in extracted]
        assert not untranslated, f"{po_path}: untranslated: {untranslated[:10]}"
        fuzzy = [e.msgid for e in catalogue.fuzzy_entries()]
        assert not fuzzy, f"{po_path}: fuzzy: {fuzzy[:10]}"


CATALOGUES = sorted(FARO.glob("**/locale/*/LC_MESSAGES/django.po"))


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: f"{p.parts[-5]}-{p.parts[-3]}")
def test_catalogue_compiles(po_path: Path, tmp_path: Path) -> None:
    """msgfmt --check is what compilemessages runs: a translation naming a placeholder its source lacks fails it."""
    result = subprocess.run(
        ["msgfmt", "--check-format", "-o", str(tmp_path / "django.mo"), str(po_path)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("language", TARGET_LANGUAGES)
def test_a_message_means_one_thing_across_apps(language: str) -> None:
    """Django merges every app's catalogue and the first app wins, so the same message translated two
    ways in two apps shows one app's wording in the other (a call "Cerrado", a meeting "Realizado").
    Where the wording must differ (gender, meaning), the source gives the message a context (pgettext)."""
    seen: dict[tuple[str, str], dict[str, str]] = {}
    for po_path in CATALOGUES:
        if po_path.parts[-3] != language:
            continue
        for entry in polib.pofile(str(po_path)):
            if entry.msgstr and not entry.obsolete:
                seen.setdefault((entry.msgctxt or "", entry.msgid), {})[po_path.parts[-5]] = entry.msgstr
    clashes = {msgid: apps for (_ctx, msgid), apps in seen.items() if len(set(apps.values())) > 1}
    assert not clashes, f"{language}: {len(clashes)} messages translated differently by app: {clashes}"
