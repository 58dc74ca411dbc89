# Common commands of PGA. `make` (or `make help`) lists them.
# Needs only Python 3.11, npm and make; everything else is installed into .venv/ and node_modules/.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
PYTEST := $(VENV)/bin/pytest
RUFF := $(VENV)/bin/ruff
MYPY := $(VENV)/bin/mypy
CELERY := $(VENV)/bin/celery
NPM ?= npm
MANAGE := $(PY) manage.py

# The test suite runs against real PostgreSQL (pga.settings.test refuses anything else).
DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/pga
# The embedded demo: SQLite and eager Celery (pga.settings.local), no Redis or PostgreSQL needed.
LOCAL := DJANGO_SETTINGS_MODULE=pga.settings.local
# The demo set-up's nightly jobs notify every demo user by e-mail: some 1,200 lines on the console that bury
# the start-up output. The notifications stay in the worklist; the running demo prints new e-mails.
SETUP_MAIL := EMAIL_URL=dummymail://
PYTEST_ARGS ?=
BENCH_ARGS ?=
ENGINE_ARGS ?=
AUDIT_ARGS ?=
# The restore drill's source database (scripts/restore_drill.sh); the default is DATABASE_URL.
RESTORE_SOURCE ?= $(DATABASE_URL)
DATASET_ARGS ?=
# The national dataset of issue #6 lives in its own database; make dataset (re)creates it.
BENCH_DB ?= pga_bench
BENCH_URL := $(dir $(DATABASE_URL))$(BENCH_DB)
BENCH_JOBS_DB ?= pga_bench_jobs
BENCH_JOBS_ARGS ?=

.PHONY: help install lock audit restore-drill demo demo-setup test lint typecheck dataset bench bench-check bench-engine bench-jobs worker beat clean

help: ## List every target with what it does
	@echo "Usage: make <target>"
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  %-14s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

install: ## Create .venv (Python 3.11) and install Python and npm dependencies, copy the Utrecht CSS
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -r requirements/dev.txt -c requirements/constraints.txt
	$(NPM) ci
	$(NPM) run build

lock: ## Re-resolve requirements/*.txt and pin every version in requirements/constraints.txt
	$(PIP) install --upgrade -r requirements/dev.txt
	{ echo "# Exact versions of everything requirements/dev.txt installs (make lock regenerates this file)."; \
	  $(PIP) freeze --exclude-editable; } > requirements/constraints.txt

audit: ## Audit requirements/constraints.txt for known vulnerabilities: fails on one with a fixed release (AUDIT_ARGS=--allow-unavailable)
	$(PY) scripts/audit_dependencies.py --requirement requirements/constraints.txt $(AUDIT_ARGS)

restore-drill: ## Restore drill: dump a database, restore it into a scratch database and compare (RESTORE_SOURCE=postgres://…; docs/deployment.md)
	DATABASE_URL=$(DATABASE_URL) scripts/restore_drill.sh $(RESTORE_SOURCE)

demo-setup: install ## Prepare the demo (SQLite db.sqlite3): migrate, load the demo data, run the nightly jobs once, without serving
	$(LOCAL) $(MANAGE) migrate --noinput
	$(LOCAL) $(MANAGE) load_demo
	$(LOCAL) $(SETUP_MAIL) $(MANAGE) run_job exit_review
	$(LOCAL) $(SETUP_MAIL) $(MANAGE) run_job periodic_review
	$(LOCAL) $(SETUP_MAIL) $(MANAGE) run_job stagnation
	$(LOCAL) $(SETUP_MAIL) $(MANAGE) run_job retention
	$(LOCAL) $(MANAGE) load_demo_conferences
	$(LOCAL) $(SETUP_MAIL) $(MANAGE) run_job exit_review  # again: proposes the Top X exit reviews for the casusoverleg just planned

demo: demo-setup ## Run the embedded demo at http://127.0.0.1:8000/ (SQLite, eager Celery)
	$(LOCAL) $(MANAGE) runserver 127.0.0.1:8000

test: ## Run the whole test suite against PostgreSQL (DATABASE_URL; extra args via PYTEST_ARGS=...)
	DATABASE_URL=$(DATABASE_URL) $(PYTEST) $(PYTEST_ARGS)

lint: ## Check code style: ruff check and ruff format --check
	$(RUFF) check .
	$(RUFF) format --check .

typecheck: ## Type-check with mypy and django-stubs
	DATABASE_URL=$(DATABASE_URL) $(MYPY) .

dataset: ## (Re)create the benchmark database pga_bench (BENCH_DB) with the national dataset: 100,000 persons, 5M access-log rows (<10 min; DATASET_ARGS=--scale 0.1)
	dropdb --if-exists --maintenance-db="$(dir $(DATABASE_URL))postgres" $(BENCH_DB)
	createdb --maintenance-db="$(dir $(DATABASE_URL))postgres" $(BENCH_DB)
	DATABASE_URL=$(BENCH_URL) $(MANAGE) migrate --noinput -v 0
	DATABASE_URL=$(BENCH_URL) $(MANAGE) generate_dataset $(DATASET_ARGS)

bench: ## Benchmarks S1-S6 of issue #6 on pga_bench (BENCH_DB), generated first when missing (not a test; BENCH_ARGS=--only S1,S2 --record)
	@psql "$(BENCH_URL)" -tAc "SELECT 1 FROM partners_user WHERE username = 'ds-cd-0000'" 2>/dev/null | grep -q 1 || $(MAKE) dataset
	DATABASE_URL=$(BENCH_URL) $(MANAGE) bench $(BENCH_ARGS)

bench-check: ## Run the benchmarks and compare the ratios with docs/bench-recorded.json; fails on a regression over 20 %
	@psql "$(BENCH_URL)" -tAc "SELECT 1 FROM partners_user WHERE username = 'ds-cd-0000'" 2>/dev/null | grep -q 1 || $(MAKE) dataset
	DATABASE_URL=$(BENCH_URL) $(MANAGE) bench --check $(BENCH_ARGS)

bench-engine: ## Measure the escalation engine: one case and the whole active caseload (not a test; ENGINE_ARGS=--synthetic 10000)
	DATABASE_URL=$(DATABASE_URL) $(MANAGE) bench_engine $(ENGINE_ARGS)

bench-jobs: ## Time the nightly jobs over 100,000 cases and "Mijn caseload" during the exit review (not a test; throw-away database pga_bench_jobs; BENCH_JOBS_ARGS=--cases 10000)
	dropdb --if-exists --maintenance-db="$(dir $(DATABASE_URL))postgres" $(BENCH_JOBS_DB)
	createdb --maintenance-db="$(dir $(DATABASE_URL))postgres" $(BENCH_JOBS_DB)
	DATABASE_URL=$(dir $(DATABASE_URL))$(BENCH_JOBS_DB) $(MANAGE) migrate --noinput
	DATABASE_URL=$(dir $(DATABASE_URL))$(BENCH_JOBS_DB) $(MANAGE) bench_jobs $(BENCH_JOBS_ARGS)
	dropdb --maintenance-db="$(dir $(DATABASE_URL))postgres" $(BENCH_JOBS_DB)

worker: ## Run a Celery worker (needs Redis at CELERY_BROKER_URL)
	$(CELERY) -A pga worker -l info

beat: ## Run the Celery beat scheduler (needs Redis at CELERY_BROKER_URL)
	$(CELERY) -A pga beat -l info

clean: ## Remove build output and caches (keeps .venv/ and the demo's db.sqlite3)
	rm -rf node_modules static/vendor staticfiles test-results .pytest_cache .mypy_cache .ruff_cache
	find . -path ./.venv -prune -o -type d -name __pycache__ -print0 | xargs -0 rm -rf
