# smartedu — `make run` serves the portal with demo data; `make test` runs the suite in both modes.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# The production-mode test run talks to these real services.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/smartedu
TEST_REDIS_URL ?= redis://127.0.0.1:6379/14
PYTEST_ARGS ?=

TYPED := smartedu k12 vocational higher_ed employment

# Reproducible installs: requirements.lock pins every package (and its hashes) that pyproject.toml asks for,
# the run, test and lint extras included. `make lock` refreshes it after pyproject.toml changes.
LOCK := requirements.lock
UV_VERSION := 0.13.9
UV_COMPILE := $(BIN)/uv pip compile --universal --python-version 3.11 --generate-hashes --quiet \
	--custom-compile-command "make lock"

.PHONY: typecheck run install lock lock-upgrade migrate seed static test test-fast test-embedded \
	test-production lint format messages clean bench openapi-client echarts

$(STAMP): $(LOCK) pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r $(LOCK)
	@$(BIN)/python .ci/check_lock.py
	@touch $(STAMP)

## Pin pyproject.toml's requirements in requirements.lock (and the client generator's in .ci/), keeping the
## current pins where the ranges still allow them. After a merge that touched pyproject.toml: take either
## side of a conflicting lock file, run `make lock`, commit. `make lock-upgrade` moves every pin to the newest.
lock:
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet 'uv==$(UV_VERSION)'
	$(UV_COMPILE) $(LOCK_FLAGS) --all-extras pyproject.toml -o $(LOCK)
	$(UV_COMPILE) $(LOCK_FLAGS) .ci/openapi-client.in -o .ci/openapi-client.lock

lock-upgrade:
	@$(MAKE) --no-print-directory lock LOCK_FLAGS=--upgrade

# Front-end libraries (ECharts, pdf.js; axe-core and esbuild for the build and the tests) from the npm
# registry, served by Django staticfiles from node_modules/. The dashboards' ECharts is a tree-shaken bundle
# of the charts they draw, built here with esbuild (smartedu/stats/frontend/echarts.mjs).
NODE_STAMP := node_modules/.package-lock.json
ECHARTS_BUNDLE := node_modules/.smartedu/echarts/echarts.min.js
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $(NODE_STAMP)

$(ECHARTS_BUNDLE): $(NODE_STAMP) smartedu/stats/frontend/echarts.mjs
	node_modules/.bin/esbuild smartedu/stats/frontend/echarts.mjs --bundle --minify --format=iife \
		--target=es2017 --legal-comments=none --log-level=warning --outfile=$(ECHARTS_BUNDLE)

echarts: $(ECHARTS_BUNDLE)

install: $(STAMP) $(NODE_STAMP) $(ECHARTS_BUNDLE)

migrate: install
	$(BIN)/python manage.py migrate --noinput

seed: migrate
	$(BIN)/python manage.py seed_demo --scale small

static: install
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0

## Serve the portal with its Celery worker and beat on http://127.0.0.1:8000 (Ctrl-C stops all three).
run: seed static
	@echo "smartedu: http://$${SMARTEDU_BIND:-127.0.0.1:8000}  (Ctrl-C stops web, worker and beat)"
	$(BIN)/honcho --procfile Procfile start

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## mypy with django-stubs over every application package and the shared test fixtures (CI runs it).
typecheck: install
	$(BIN)/mypy $(TYPED) conftest.py tests/browser/conftest.py tests/factories/__init__.py

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## Regenerate the translation catalogue (needs GNU gettext) and compile it.
messages: install
	$(BIN)/python manage.py makemessages --locale zh_Hans --ignore '.venv/*' --ignore 'var/*' --ignore 'node_modules/*' --no-obsolete
	$(BIN)/python manage.py compilemessages --locale zh_Hans --ignore '.venv/*'

## Both modes: embedded (SQLite, no Redis) then production (PostgreSQL + Redis + a real Celery worker).
test: install
	@$(MAKE) --no-print-directory test-embedded
	@$(MAKE) --no-print-directory test-production

## The fast loop: unit and API tests in parallel, embedded mode; no browser, no worker process, nothing slow.
test-fast: install
	env -u DATABASE_URL -u REDIS_URL SMARTEDU_VAR_DIR=$(CURDIR)/var/test-fast \
		$(BIN)/pytest -n auto -m "not slow and not browser and not worker" $(PYTEST_ARGS)

# The embedded mode shares nothing between test processes (each pytest-xdist worker has its own SQLite files
# and Celery broker folder under SMARTEDU_VAR_DIR), so it runs everything in parallel, browser and worker
# tests included. The production mode runs in parallel as well: pytest-django suffixes each process's PostgreSQL
# test database, and settings.py gives each process its own Redis database (TEST_REDIS_URL's number, the next...).
# The browser journeys run in the embedded half only: in the production half each of them empties every
# PostgreSQL table around its live server, which would take CI past its 30 minutes. Everything else
# (API, pages, the worker, Redis, the search and statistics back ends) runs in both modes.
PRODUCTION_MARKS ?= -m "not browser"
test-embedded: install
	@echo "=== embedded mode: SQLite, local-memory cache, Celery on the filesystem transport ==="
	env -u DATABASE_URL -u REDIS_URL SMARTEDU_VAR_DIR=$(CURDIR)/var/test-embedded \
		$(BIN)/pytest -n auto $(PYTEST_ARGS)

test-production: install
	@if reason=$$($(BIN)/python tests/services_available.py "$(TEST_DATABASE_URL)" "$(TEST_REDIS_URL)"); then \
		echo "=== production mode: PostgreSQL, Redis, real Celery worker ==="; \
		DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) DJANGO_SECRET_KEY=test-only-$$RANDOM$$RANDOM \
		DJANGO_SECURE_HTTPS=0 SMARTEDU_VAR_DIR=$(CURDIR)/var/test-production \
		$(BIN)/pytest -n auto $(PRODUCTION_MARKS) $(PYTEST_ARGS); \
	else \
		echo ""; \
		echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"; \
		echo "!!! PRODUCTION-MODE TESTS SKIPPED: $$reason"; \
		echo "!!! Start PostgreSQL (127.0.0.1:5432) and Redis (127.0.0.1:6379) to run them."; \
		echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"; \
		if [ "$${SMARTEDU_REQUIRE_SERVICES:-0}" = 1 ]; then echo "SMARTEDU_REQUIRE_SERVICES=1: failing."; exit 1; fi; \
	fi

## Every benchmark (bench/README.md): the HTTP figures with gunicorn, wrk, PostgreSQL, Redis and Celery, the
## seed at seed scale, the flush; results in bench/results/. Not part of CI (it takes about half an hour).
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/smartedu_bench
BENCH_SEED_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/smartedu_bench_seed
BENCH_REDIS_URL ?= redis://127.0.0.1:6379/13
bench: install
	BENCH_DATABASE_URL=$(BENCH_DATABASE_URL) BENCH_SEED_DATABASE_URL=$(BENCH_SEED_DATABASE_URL) \
		BENCH_REDIS_URL=$(BENCH_REDIS_URL) $(BIN)/python bench/run.py

## Generate a Python client from the API schema with openapi-python-client and use it (CI runs this).
openapi-client: install
	bash .ci/openapi_client.sh

clean:
	rm -rf var/test-embedded var/test-production var/test-fast var/staticfiles var/openapi-client
