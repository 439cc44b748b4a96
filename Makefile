# Faro — two commands: `make run` (set up and start with demo data) and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test test-only setup system-deps messages translations lint typecheck check-migrations bench bench-deps clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Faro needs Python 3.11 or newer")'
	[ -x $(PY) ] || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -c 'import tomllib; p = tomllib.load(open("pyproject.toml", "rb"))["project"]; print("\n".join(p["dependencies"] + p["optional-dependencies"]["dev"]))' > $(VENV)/requirements.txt
	$(PY) -m pip install -q -r $(VENV)/requirements.txt
	touch $@

# gettext (message catalogues) and Chromium (browser tests), from Debian's packages.
system-deps:
	@command -v msgfmt >/dev/null && command -v chromium >/dev/null || { \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq gettext chromium >/dev/null; }

setup: $(VENV)/.installed system-deps messages

# allauth ships Brazilian Portuguese as pt_BR; Faro's "pt" finds it through var/locale-allauth/pt.
messages:
	$(PY) manage.py compilemessages --ignore=.venv -v0
	mkdir -p var/locale-allauth/pt/LC_MESSAGES && ln -sf "$$($(PY) -c 'import allauth, pathlib; print(pathlib.Path(allauth.__file__).parent / "locale/pt_BR/LC_MESSAGES/django.mo")')" var/locale-allauth/pt/LC_MESSAGES/django.mo

run: setup
	$(PY) manage.py migrate -v0
	HOST=$(HOST) PORT=$(PORT) $(PY) manage.py load_demo
	@echo "Faro is starting on http://$(HOST):$(PORT)/"
	HOST=$(HOST) PORT=$(PORT) $(PY) manage.py runserver $(HOST):$(PORT)

test: setup test-only

test-only:
	$(PY) -m pytest

lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck:
	$(VENV)/bin/mypy --strict faro conftest.py

check-migrations:
	$(PY) manage.py makemigrations --check --dry-run

# The benchmarks' load generator, wrk, from Debian's package.
bench-deps:
	@command -v wrk >/dev/null || { \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq wrk >/dev/null; }

bench: setup bench-deps
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) var staticfiles

# Refresh every app's catalogues after changing strings; then translate the new entries.
translations:
	for d in faro/lib $$(dirname faro/*/apps.py); do mkdir -p $$d/locale; \
	  (cd $$d && ../../$(PY) ../../manage.py makemessages -l es -l pt -l fr --no-location --no-obsolete -v0 \
	   --ignore=tests --ignore=migrations); done

# Certificates embed DejaVu Sans (Unicode TrueType) in their PDFs: Debian's fonts-dejavu-core.
setup: fonts
fonts:
	@[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || { \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq fonts-dejavu-core >/dev/null; }
.PHONY: fonts
