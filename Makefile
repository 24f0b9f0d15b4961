# govportal — the two commands: `make run` and `make test`.
PYTHON ?= python3.11
UV := $(shell command -v uv 2>/dev/null)
ifeq ($(UV),)
UV := $(PYTHON) -m uv
endif
VENV := .venv
MANAGE := $(VENV)/bin/python manage.py
# The suite runs in parallel (pytest-xdist), one worker per core, at most 4: each worker has
# its own test database and browser. TEST_WORKERS=0 runs it in one process.
TEST_WORKERS ?= auto
XDIST := $(if $(filter 0,$(TEST_WORKERS)),,-n $(TEST_WORKERS) --maxprocesses 4)

.DEFAULT_GOAL := help
.PHONY: help install run serve test test-postgres lint format messages check-deploy demo clean

help:
	@echo "make run            install, migrate, load the demo site group, serve on http://127.0.0.1:8000"
	@echo "make test           install and run the whole test suite (SQLite, browser tests included)"
	@echo "make test-postgres  the suite on PostgreSQL (DATABASE_URL, default local 127.0.0.1:5432)"
	@echo "make lint           ruff check + format check"
	@echo "make messages       extract admin strings into the zh_Hans catalogue and compile it"

$(VENV)/.installed: pyproject.toml uv.lock
	@$(UV) --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet --user uv
	$(UV) sync --frozen --python $(PYTHON)
	@touch $@

install: $(VENV)/.installed

run: install
	$(MANAGE) migrate --noinput
	$(MANAGE) collectstatic --noinput -v0
	$(MANAGE) load_demo_data
	@echo "Serving the demo site group: portal http://127.0.0.1:8000/  admin http://127.0.0.1:8000/admin/"
	$(VENV)/bin/gunicorn -c gunicorn.conf.py

serve: install
	$(VENV)/bin/gunicorn -c gunicorn.conf.py

test: install
	@bash scripts/ensure_browser.sh || true
	@bash scripts/ensure_redis.sh || true
	$(VENV)/bin/pytest $(XDIST) $(PYTEST_ARGS)

test-postgres: install
	@bash scripts/ensure_postgres.sh
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/govportal} $(VENV)/bin/pytest $(XDIST) $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Admin strings (English msgids, Chinese msgstr). The public templates stay Chinese literals.
MESSAGES_FLAGS := -l zh_Hans --no-obsolete --ignore=.venv --ignore=var \
	--ignore="govportal/templates/*" --ignore="govportal/content/templates/*"

messages: install
	DJANGO_SETTINGS_MODULE=govportal.settings.test $(MANAGE) makemessages $(MESSAGES_FLAGS)
	DJANGO_SETTINGS_MODULE=govportal.settings.test $(MANAGE) compilemessages -l zh_Hans \
		--ignore=.venv --ignore=var

check-deploy: install
	SECRET_KEY=$$($(VENV)/bin/python -c 'import secrets; print(secrets.token_urlsafe(64))') \
	GOVPORTAL_FIELD_KEYS=$$($(VENV)/bin/python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())') \
	ALLOWED_HOSTS=www.example.gov.cn DJANGO_SETTINGS_MODULE=govportal.settings.production \
	$(MANAGE) check --deploy --fail-level WARNING

clean:
	rm -rf var/ artifacts/
