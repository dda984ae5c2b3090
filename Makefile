# Two commands on a fresh machine with Python 3.11+: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: install run test lint format schema check worker beat clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/python pyproject.toml uv.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv
	UV_PROJECT_ENVIRONMENT=$(VENV) $(BIN)/uv sync --frozen --inexact --python $(BIN)/python
	touch $@

install: $(VENV)/.installed

run: install  ## serve the API on the embedded default (SQLite, eager Celery) with demo data
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@$(BIN)/python manage.py demo_banner --url http://$(HOST):$(PORT)
	DEBUG=true $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install  ## the whole suite; PostgreSQL/Redis/real worker when DATABASE_URL and REDIS_URL are set
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

schema: install  ## write the OpenAPI schema, failing on any warning
	$(BIN)/python manage.py spectacular --validate --fail-on-warn --file schema.yml

check: lint schema
	$(BIN)/python manage.py makemigrations --check --dry-run

worker: install
	$(BIN)/celery -A agri_platform worker -l info -Q celery,events,webhooks,telemetry,reports

beat: install
	$(BIN)/celery -A agri_platform beat -l info

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache
