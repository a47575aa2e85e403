# Hội Thi. Quick start: `make run` (set up, load demo data, serve) and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
export DJANGO_SETTINGS_MODULE ?= config.settings.dev

.PHONY: run serve setup test test-quick lint format bench clean-data check-python

check-python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || \
		{ echo "Hội Thi needs Python 3.11 or newer (found: $$($(PYTHON) --version 2>&1))."; exit 1; }
	@$(PYTHON) -c 'import venv, ensurepip' 2>/dev/null || \
		{ echo "Python's venv module is missing. On Debian/Ubuntu run:"; \
		  echo "  sudo apt-get install -y python3-venv"; exit 1; }

$(VENV)/.runtime-installed: requirements.txt
	@$(MAKE) --no-print-directory check-python
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

$(VENV)/.dev-installed: $(VENV)/.runtime-installed requirements-dev.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

# Migrate, compile translations (pure Python: no gettext tools needed), collect static files.
setup: $(VENV)/.runtime-installed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py compile_translations
	$(PY) manage.py collectstatic --noinput --verbosity 0

run: setup
	$(PY) manage.py seed_demo
	@$(MAKE) --no-print-directory serve

# One Daphne process; in the embedded default the round clock runs inside it. No
# --proxy-headers here: without a proxy in front, a client could forge X-Forwarded-For and
# slip past the username+IP login lock. Behind nginx: make serve DAPHNE_FLAGS=--proxy-headers
DAPHNE_FLAGS ?=
serve:
	@echo ""
	@echo "  Hội Thi đang chạy tại: http://$(HOST):$(PORT)/"
	@echo "  Tài khoản mẫu: xem danh sách ở trên (seed_demo)."
	@echo ""
	$(VENV)/bin/daphne --bind $(HOST) --port $(PORT) $(DAPHNE_FLAGS) config.asgi:application

test: $(VENV)/.dev-installed
	$(PY) manage.py compile_translations
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.dev-installed
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py makemigrations --check --dry-run

format: $(VENV)/.dev-installed
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

bench: $(VENV)/.dev-installed setup
	$(PY) bench/run_standard.py
