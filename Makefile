# The front door. `make run` and `make test` do all set-up on a fresh machine (README.md).
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
# `make bench`: the write path's throughput at BENCH_RESPONSES, the analytics at each size of
# BENCH_ANALYTICS_SIZES (1,000,000 takes a while: see docs/benchmarks.md).
BENCH_RESPONSES ?= 100000
BENCH_ANALYTICS_SIZES ?= 100000 1000000

.PHONY: install install-test run serve migrate demo test test-sqlite test-future test-postgres \
        lint checks messages ci clean bench bench-analytics

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# Stamps: dependencies are reinstalled only when a requirements file changes.
$(VENV)/.base-installed: $(BIN)/python requirements/base.txt requirements/constraints.txt
	$(BIN)/pip install -q -r requirements/base.txt -c requirements/constraints.txt
	@touch $@

$(VENV)/.test-installed: $(VENV)/.base-installed requirements/test.txt requirements/constraints.txt
	$(BIN)/pip install -q -r requirements/test.txt -c requirements/constraints.txt
	@touch $@

install: $(VENV)/.base-installed

install-test: $(VENV)/.test-installed

migrate: install
	$(MANAGE) migrate --noinput

demo: migrate
	$(MANAGE) load_demo

# Links in e-mails and the kiosk link printed by load_demo name the port served here, not a
# fixed 8000 (`make run PORT=8001`); a HAILONG_PUBLIC_URL of the environment wins (e.g. the
# address the phones in the hall reach).
run demo: export HAILONG_PUBLIC_URL ?= http://$(HOST):$(PORT)

# The web server and, beside it, the background worker (imports, report builds): no extra server.
run: demo
	@echo "Hài Lòng: http://$(HOST):$(PORT)/  (demo accounts and password above; also in var/demo-password.txt)"
	@$(MANAGE) run_worker & worker=$$!; trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
	  $(MANAGE) runserver $(HOST):$(PORT)

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Checks that need no database server: migrations in step with models, the production
# settings' deploy check (with throwaway values for the required environment), translations.
checks: install-test
	$(MANAGE) makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=config.settings.prod SECRET_KEY="$$(head -c 48 /dev/urandom | base64)" \
	  ALLOWED_HOSTS=hailong.example.gov.vn DATABASE_URL=postgres://hailong@db/hailong \
	  HAILONG_PUBLIC_URL=https://hailong.example.gov.vn \
	  $(MANAGE) check --deploy --fail-level WARNING

test-sqlite: install-test
	@echo "== SQLite"
	$(BIN)/pytest $(PYTEST_ARGS)

# The SQLite run with the clock a year ahead (tests/clock.py), on demand: `make test` runs the
# PostgreSQL suite a year ahead instead (below), so every test meets both databases and both clocks.
test-future: install-test
	@echo "== SQLite, the clock a year ahead"
	HAILONG_TEST_CLOCK_SHIFT_DAYS=365 $(BIN)/pytest -m "not schemathesis" $(PYTEST_ARGS)

# PostgreSQL with the clock a year ahead (TEST_CLOCK_SHIFT_DAYS=0 for today's): no test may depend on
# the day it runs, and fixtures that hold dates must keep working past the end of the year.
# schemathesis (hailong/api/tests/test_schemathesis.py) runs once per make test: in test-sqlite.
TEST_CLOCK_SHIFT_DAYS ?= 365
test-postgres: install-test
	@url=$$(scripts/ensure-postgres) || { \
	  if [ "$$CI" = "true" ]; then echo "PostgreSQL is required under CI" >&2; exit 1; fi; \
	  echo "WARNING: no PostgreSQL available: the PostgreSQL run is skipped" >&2; exit 0; }; \
	echo "== PostgreSQL, the clock $(TEST_CLOCK_SHIFT_DAYS) days ahead: $$url"; \
	HAILONG_TEST_CLOCK_SHIFT_DAYS=$(TEST_CLOCK_SHIFT_DAYS) DATABASE_URL=$$url $(BIN)/pytest -m "not schemathesis" $(PYTEST_ARGS)

test: install-test
	@scripts/ensure-chromium || { if [ "$$CI" = "true" ]; then exit 1; fi; \
	  echo "WARNING: Chromium could not be installed: browser tests will be skipped" >&2; }
	$(MAKE) --no-print-directory lint checks
	@# SQLite (today's clock) and PostgreSQL (a year ahead) share nothing (a database file, a server
	@# database, in-memory caches and storage per process), so they run side by side on two cores;
	@# each one's output is printed whole when it ends.
	$(MAKE) --no-print-directory -j2 --output-sync=target test-sqlite test-postgres

# Benchmarks (never timing asserts in tests): the write path's bulk store on SQLite and
# PostgreSQL, each beside a raw insert of the same rows through the driver (docs/performance.md).
bench: install-test
	$(BIN)/python -m bench.store_throughput --responses $(BENCH_RESPONSES)
	@url=$$(scripts/ensure-postgres) && BENCH_POSTGRES=$$url \
	  $(BIN)/python -m bench.store_throughput --responses $(BENCH_RESPONSES) --database postgres
	$(MAKE) bench-analytics

# Issue 12: the rollups' reads against raw scans, at each of BENCH_ANALYTICS_SIZES responses,
# on SQLite and PostgreSQL (bench/results/<date>-<database>.json; docs/benchmarks.md).
bench-analytics: install-test
	@for n in $(BENCH_ANALYTICS_SIZES); do \
	  $(BIN)/python -m bench.analytics_bench --responses $$n || exit 1; \
	  url=$$(scripts/ensure-postgres) && BENCH_POSTGRES=$$url \
	    $(BIN)/python -m bench.analytics_bench --responses $$n --database postgres || exit 1; \
	done

# Regenerate the message catalogues after changing user-visible strings, then translate.
messages: install-test
	$(MANAGE) makemessages -l vi --no-obsolete --no-location --ignore=.venv --ignore=staticfiles
	$(MANAGE) compilemessages --ignore=.venv  # compiles locale/ and locale_overrides/

ci:
	CI=true $(MAKE) test

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
