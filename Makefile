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

.PHONY: setup run test test-sqlite test-postgres postgres lint

## setup: create .venv (Python 3.11) when missing and install Vangnet with its development tools
setup: $(VENV)/.installed

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
	VANGNET_TEST_DATABASE_URL='$(PG_URL)' $(BIN)/pytest $(PYTEST_ARGS)

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
