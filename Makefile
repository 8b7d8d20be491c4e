# ocop — the two commands a newcomer needs are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
OCOP := $(BIN)/ocop
HOST ?= 127.0.0.1
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/ocop
PO_FILES := $(wildcard src/ocop/locale/*/LC_MESSAGES/*.po)
MO_FILES := $(PO_FILES:.po=.mo)

.PHONY: run serve setup migrate data test test-sqlite test-pg lint check pdf-deps e2e-deps bench bench-deps format lock messages makemessages clean

## Install, migrate, load reference and demo data, then serve on http://$(HOST):$(PORT) with a worker.
run: setup pdf-deps migrate data
	@echo "Serving on http://$(HOST):$(PORT)/ (Ctrl-C stops the server and the worker)"
	@$(OCOP) worker > var/worker.log 2>&1 & WORKER=$$!; \
	trap 'kill $$WORKER 2>/dev/null' EXIT INT TERM; \
	$(OCOP) runserver $(HOST):$(PORT)

setup: $(BIN)/.installed node_modules/.installed $(MO_FILES)

$(BIN)/.installed: requirements/lock.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements/lock.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# Compiled translations are built from the .po files with polib (no GNU gettext needed).
%.mo: %.po $(BIN)/.installed
	$(BIN)/python -c "import polib, sys; polib.pofile(sys.argv[1]).save_as_mofile(sys.argv[2])" $< $@

migrate: setup
	@mkdir -p var
	$(OCOP) migrate --noinput -v 0

data: migrate
	$(OCOP) load-units
	$(OCOP) load-criteria
	$(OCOP) demo load

## Lint, checks, migrations check, then the whole suite on SQLite and on PostgreSQL.
test: setup e2e-deps lint check test-sqlite test-pg

lint: setup
	$(BIN)/ruff check src tests scripts bench
	$(BIN)/ruff format --check src tests scripts bench

check: setup
	OCOP_VAR_DIR=$$(mktemp -d) $(OCOP) check --fail-level WARNING
	OCOP_VAR_DIR=$$(mktemp -d) $(OCOP) makemigrations --check --dry-run
	OCOP_ENV=production SECRET_KEY=check-only-$$(date +%s)-not-a-real-secret-key-0123456789abcdef \
	  ALLOWED_HOSTS=ocop.example.gov.vn OCOP_VAR_DIR=$$(mktemp -d) $(OCOP) check --deploy --fail-level WARNING

test-sqlite: setup
	$(BIN)/pytest -q $(PYTEST_ARGS)

test-pg: setup
	@pg_isready -q -h 127.0.0.1 -p 5432 || (echo "PostgreSQL is not running on 127.0.0.1:5432" && exit 1)
	DATABASE_URL=$(PG_URL) $(BIN)/pytest -q $(PYTEST_ARGS)

## National-scale benchmark on PostgreSQL (docs/performance.md): synthetic dataset, gunicorn, wrk.
bench: setup pdf-deps bench-deps
	@pg_isready -q -h 127.0.0.1 -p 5432 || (echo "PostgreSQL is not running on 127.0.0.1:5432" && exit 1)
	$(BIN)/python -u bench/run.py $(BENCH_ARGS)

bench-deps:
	@command -v wrk >/dev/null 2>&1 || { \
	  echo "Installing Debian's wrk (the load generator of make bench)"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq wrk >/dev/null; }

## Debian's Pango with DejaVu fonts for WeasyPrint's PDFs (Vietnamese glyphs), and Chromium for
## the end-to-end tests (Playwright drives it; no browser download).
pdf-deps:
	@{ ldconfig -p | grep -q libpangoft2 && test -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf; } || { \
	  echo "Installing Debian's Pango and DejaVu fonts (PDF documents with Vietnamese text)"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	    $$SUDO apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core >/dev/null; }

e2e-deps: pdf-deps
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the end-to-end tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

format: setup
	$(BIN)/ruff format src tests scripts bench
	$(BIN)/ruff check --fix src tests scripts bench

## Regenerate the lock file from requirements/*.in (needs pip-tools).
lock:
	$(BIN)/python -m pip install --quiet pip-tools
	cd requirements && ../$(BIN)/pip-compile -q --strip-extras --no-emit-index-url --no-emit-find-links -o lock.txt dev.in

## Extract translatable strings into the .po files (needs GNU gettext: apt-get install gettext).
makemessages: setup
	cd src/ocop && ../../$(OCOP) makemessages -l vi -l en --no-obsolete --ignore '*/migrations/*' && \
	  ../../$(OCOP) makemessages -d djangojs -l vi -l en --no-obsolete --ignore 'static/vendor/*'

clean:
	rm -rf $(VENV) node_modules var
