# Two commands on a fresh machine with Python 3.11+ and make: `make run` and `make test`.
# Everything installs into ./.venv from uv.lock (uv itself comes from pip). See README.md.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
# What e-mails, EPCIS ids and tracking links name as the platform's address; follows HOST and PORT.
PUBLIC_BASE_URL ?= http://$(HOST):$(PORT)

.PHONY: help install run test lint format schema check ci worker beat clean messages

help:  ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/'

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "Python 3.11+ is needed; run: make PYTHON=/path/to/python3.11 ..."; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/python pyproject.toml uv.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv
	UV_PROJECT_ENVIRONMENT=$(VENV) $(BIN)/uv sync --frozen --inexact --python $(BIN)/python
	touch $@

install: $(VENV)/.installed  ## create .venv with the locked dependencies (dev group included)

run: install  ## serve the API on the embedded default (SQLite, eager Celery) with demo data
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@PUBLIC_BASE_URL=$(PUBLIC_BASE_URL) $(BIN)/python manage.py demo_banner --url http://$(HOST):$(PORT)
	DEBUG=true PUBLIC_BASE_URL=$(PUBLIC_BASE_URL) $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install  ## the whole suite; PostgreSQL/Redis/real worker when DATABASE_URL and REDIS_URL are set
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install  ## ruff check and ruff format --check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install  ## fix what ruff can fix and format
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

schema: install  ## write the OpenAPI schema to schema.yml, failing on any warning
	$(BIN)/python manage.py spectacular --validate --fail-on-warn --file schema.yml

check: lint schema  ## lint, schema and a migrations check
	$(BIN)/python manage.py makemigrations --check --dry-run

ci:  ## what CI runs (.ci/run): checks, make test on PostgreSQL+Redis, then embedded
	bash .ci/run

worker: install  ## a Celery worker on every queue (needs REDIS_URL)
	$(BIN)/celery -A agri_platform worker -l info -Q celery,events,webhooks,telemetry,reports

beat: install  ## the Celery beat scheduler (needs REDIS_URL)
	$(BIN)/celery -A agri_platform beat -l info

messages: install  ## extract marked strings into each app's .po and compile the .mo files (needs GNU gettext)
	$(BIN)/python manage.py catalogues

clean:  ## remove .venv, the SQLite file, collected static files
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache
