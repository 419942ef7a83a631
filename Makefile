# Qairon tasks. `make` alone lists them.
PORT ?= 5000
HOST ?= 127.0.0.1
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin
SQLALCHEMY_DATABASE_URI ?= sqlite:///$(CURDIR)/instance/qairon.db
export SQLALCHEMY_DATABASE_URI

.DEFAULT_GOAL := help
.PHONY: help install dev run serve shell test test-pg lint schema bench fuzz replica-test clean

help: ## list the tasks
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(BIN)/.installed: requirements.txt setup.py
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements.txt
	$(BIN)/pip install -q -e .
	touch $@

$(BIN)/.dev-installed: $(BIN)/.installed dev_requirements.txt
	$(BIN)/pip install -q -r dev_requirements.txt
	touch $@

install: $(BIN)/.installed ## create .venv and install the server and qcli

dev: $(BIN)/.dev-installed ## install the development tools too

run: install ## local try-out: migrate (SQLite under instance/) and serve on http://$(HOST):$(PORT), authentication OFF
	mkdir -p instance
	$(BIN)/flask --app qairon db upgrade
	QAIRON_AUTH=off $(BIN)/flask --app qairon run --host $(HOST) --port $(PORT)

serve: install ## migrate, then serve with gunicorn as in production, writes need a token (QAIRON_AUTH)
	mkdir -p instance
	$(BIN)/flask --app qairon db upgrade
	PORT=$(PORT) HOST=$(HOST) $(BIN)/gunicorn -c gunicorn.conf.py 'qairon:create_app()'

shell: install ## a shell with .venv's qcli and flask on PATH, QAIRON_ENDPOINT=http://$(HOST):$(PORT)
	@echo "qcli and flask of $(VENV) are on PATH; QAIRON_ENDPOINT=http://$(HOST):$(PORT); exit to leave"
	@VIRTUAL_ENV=$(CURDIR)/$(VENV) PATH=$(CURDIR)/$(BIN):$$PATH \
	  QAIRON_ENDPOINT=http://$(HOST):$(PORT) $${SHELL:-/bin/sh}

test: dev ## run pytest and the behave features (PostgreSQL too when QAIRON_TEST_DATABASE_URL is set)
	$(BIN)/pytest -q
	$(BIN)/behave --format progress -D backend=sqlite features
	@if [ -n "$$QAIRON_TEST_DATABASE_URL" ]; then \
	  $(BIN)/behave --format progress -D backend=postgresql features; \
	else echo "behave on PostgreSQL skipped: QAIRON_TEST_DATABASE_URL is not set"; fi

lint: dev ## ruff over the code
	$(BIN)/ruff check qairon qairon_qcli plugins tests features bench

schema: install ## regenerate qairon_qcli/schema.json from the model registry
	$(BIN)/flask --app qairon schema -o qairon_qcli/schema.json

bench: dev ## run the benchmarks and print their tables (needs PostgreSQL)
	$(BIN)/python -m bench

fuzz: dev ## fuzz both REST faces: 18,000 requests per database, then schemathesis from /api/openapi.json (PostgreSQL too when QAIRON_TEST_DATABASE_URL is set)
	$(BIN)/python -m tests.fuzz --requests $(or $(REQUESTS),18000)
	$(BIN)/python -m tests.fuzz.schema_fuzz

replica-test: dev ## reads on a real streaming replica: a throw-away PostgreSQL primary and replica (pg_basebackup), torn down after
	$(BIN)/pytest -q tests/ops/test_replicas.py

clean: ## remove the venv and the embedded database
	rm -rf $(VENV) instance/qairon.db
