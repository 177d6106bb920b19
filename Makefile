# Vangnet. A newcomer types `make run` (set up, demo data, start on http://127.0.0.1:5000) or `make test`
# (set up, lint, then the whole suite on SQLite and again with PostgreSQL). CI runs `bash .ci/run`, which is `make test`.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
PYTEST_ARGS ?= -q -n 2
PG_HOST ?= 127.0.0.1
PG_DB ?= test
PG_URL ?= postgresql+psycopg://postgres@$(PG_HOST):5432/$(PG_DB)

.PHONY: setup run test test-sqlite test-postgres postgres lint vendor chromium translations

VENDOR := web/static/vendor

## setup: create .venv (Python 3.11) when missing and install Vangnet with its development tools; front-end
## packages from npm (package-lock.json) copied into web/static/vendor; Chromium for the browser tests
setup: $(VENV)/.installed vendor translations chromium

## vendor: npm ci, then copy the prebuilt bundles the pages load into the git-ignored web/static/vendor
vendor: node_modules/.package-lock.json
	rm -rf $(VENDOR) && mkdir -p $(VENDOR)/bpmn-js/assets/bpmn-font/css $(VENDOR)/utrecht $(VENDOR)/voorbeeld
	cp node_modules/bpmn-js/dist/bpmn-navigated-viewer.production.min.js $(VENDOR)/bpmn-js/
	cp node_modules/bpmn-js/dist/bpmn-modeler.production.min.js $(VENDOR)/bpmn-js/
	cp node_modules/bpmn-js/dist/assets/diagram-js.css node_modules/bpmn-js/dist/assets/bpmn-js.css $(VENDOR)/bpmn-js/assets/
	cp node_modules/bpmn-js/dist/assets/bpmn-font/css/bpmn-embedded.css $(VENDOR)/bpmn-js/assets/bpmn-font/css/
	mkdir -p $(VENDOR)/dmn-js/assets/dmn-font/css
	cp node_modules/dmn-js/dist/dmn-modeler.production.min.js $(VENDOR)/dmn-js/
	cp node_modules/dmn-js/dist/assets/*.css $(VENDOR)/dmn-js/assets/
	cp node_modules/dmn-js/dist/assets/dmn-font/css/dmn-embedded.css $(VENDOR)/dmn-js/assets/dmn-font/css/
	cp node_modules/@utrecht/component-library-css/dist/index.css $(VENDOR)/utrecht/
	cp node_modules/@nl-design-system-unstable/voorbeeld-design-tokens/dist/theme.css $(VENDOR)/voorbeeld/

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

## translations: compile the English catalogue (Dutch is the source language)
translations: $(VENV)/.installed
	$(BIN)/pybabel -q compile -d web/translations

## chromium: Debian's Chromium for the Playwright tests (Playwright cannot download browsers here)
chromium:
	@test -x /usr/bin/chromium || { apt-get update && apt-get install -y chromium; }

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

## run: migrate, deploy processes/, demo users and cases, then serve on http://$(HOST):$(PORT)
run: setup
	$(BIN)/vangnet demo
	$(BIN)/vangnet serve --host $(HOST) --port $(PORT)

## lint: ruff (lint and format) on everything, mypy on engine/
lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy engine

## test: lint, the suite on SQLite, then the suite again with PostgreSQL as well; fails when any of them fails
test: lint test-sqlite test-postgres

test-sqlite: setup
	env -u VANGNET_TEST_DATABASE_URL $(BIN)/pytest $(PYTEST_ARGS)

test-postgres: setup postgres
	VANGNET_TEST_BACKENDS=postgresql VANGNET_TEST_DATABASE_URL='$(PG_URL)' $(BIN)/pytest $(PYTEST_ARGS)

## postgres: make sure the local PostgreSQL answers (start it when it does not) and has the test database
postgres:
	@if ! pg_isready -q -h $(PG_HOST); then \
	  echo "PostgreSQL antwoordt niet op $(PG_HOST); starten..."; \
	  pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start; \
	fi
	@for _ in $$(seq 30); do pg_isready -q -h $(PG_HOST) && break; sleep 1; done; \
	pg_isready -h $(PG_HOST) || { echo "PostgreSQL is niet bereikbaar; alleen SQLite testen kan met: make test-sqlite"; exit 1; }
	@psql -h $(PG_HOST) -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$(PG_DB)'" | grep -q 1 \
	  || createdb -h $(PG_HOST) -U postgres $(PG_DB)
