# The two commands: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test e2e screenshots install messages migrate lint bench backup restore clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

# Compile the Chinese catalogue; polib does it where GNU gettext is not installed.
messages: install
	@if command -v msgfmt >/dev/null 2>&1; then \
		DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0; \
	else \
		$(PY) -c "import polib; polib.pofile('locale/zh_Hans/LC_MESSAGES/django.po').save_as_mofile('locale/zh_Hans/LC_MESSAGES/django.mo')"; \
	fi

migrate: messages
	DEBUG=1 $(PY) manage.py migrate --noinput

run: migrate
	DEBUG=1 $(PY) manage.py seed_demo
	@echo "Serving on http://$(HOST):$(PORT)/ (Ctrl-C to stop)"
	DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

test: messages
	@if [ -n "$$DATABASE_URL" ]; then echo "Testing against DATABASE_URL (PostgreSQL)"; else echo "Testing against SQLite"; fi
	@if [ -x "$${E2E_CHROMIUM:-/usr/bin/chromium}" ]; then echo "Chromium found: running end-to-end tests"; \
	else echo "Chromium not found: end-to-end tests skipped (apt-get install chromium)"; fi
	$(PY) -m pytest

# The end-to-end tests alone (Debian's Chromium, /usr/bin/chromium).
e2e: messages
	$(PY) -m pytest -m e2e e2e

# Regenerate the README's screenshots in docs/screenshots/ from demo data.
screenshots: messages
	E2E_SCREENSHOTS=1 $(PY) -m pytest -q -m e2e e2e/test_screenshots.py

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Benchmarks (not tests): every bench/*.py script, against DATABASE_URL (PostgreSQL), e.g.
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/outreach_bench make bench
bench: messages
	@status=0; for script in bench/*.py; do \
		echo "== $$script"; \
		DJANGO_SETTINGS_MODULE=config.settings.test $(PY) $$script || status=1; \
	done; exit $$status

clean:
	rm -rf $(VENV) .pytest_cache staticfiles
