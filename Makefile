# The two commands: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test e2e screenshots install messages migrate lint audit bench backup restore clean

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
	@if [ -x "$${NGINX:-/usr/sbin/nginx}" ]; then echo "nginx found: running the deployment test"; \
	else echo "nginx not found: the deployment test is skipped (apt-get install nginx)"; fi
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

# Security audit: bandit + pip-audit (.ci/audit says what it could not audit).
$(VENV)/.audit-installed: requirements-audit.txt $(VENV)/.installed
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-audit.txt
	touch $@

audit: $(VENV)/.audit-installed
	.ci/audit

# Backup and restore (README, "Backup"): pg_dump/pg_restore with DATABASE_URL; without it the
# SQLite file is copied with SQLite's online backup (safe while the app runs). Photos: media/.
BACKUP_DIR ?= backups
STAMP := $(shell date +%Y%m%d-%H%M%S)
backup:
	@mkdir -p $(BACKUP_DIR)
	@if [ -n "$$DATABASE_URL" ]; then \
		pg_dump --format=custom --no-owner --file="$(BACKUP_DIR)/outreach-$(STAMP).dump" "$$DATABASE_URL" \
		&& echo "database -> $(BACKUP_DIR)/outreach-$(STAMP).dump"; \
	else \
		python3 -c "import sqlite3,sys; sqlite3.connect(sys.argv[1]).backup(sqlite3.connect(sys.argv[2]))" \
			db.sqlite3 "$(BACKUP_DIR)/outreach-$(STAMP).sqlite3" \
		&& echo "database -> $(BACKUP_DIR)/outreach-$(STAMP).sqlite3"; \
	fi
	@if [ -d media ]; then tar czf "$(BACKUP_DIR)/media-$(STAMP).tgz" media && echo "photos -> $(BACKUP_DIR)/media-$(STAMP).tgz"; fi

restore:
	@test -n "$(FILE)" || { echo "usage: make restore FILE=backups/outreach-YYYYMMDD-HHMMSS.dump (or .sqlite3)"; exit 2; }
	@if [ -n "$$DATABASE_URL" ]; then \
		pg_restore --clean --if-exists --no-owner --exit-on-error --dbname "$$DATABASE_URL" "$(FILE)"; \
	else \
		python3 -c "import sqlite3,sys; sqlite3.connect(sys.argv[1]).backup(sqlite3.connect(sys.argv[2]))" \
			"$(FILE)" db.sqlite3; \
	fi
	@echo "restored $(FILE)"
