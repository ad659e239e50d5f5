# Garage: the developer's and the operator's interface. `make help` lists the targets.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
FLASK := FLASK_APP=app $(BIN)/flask
HOST ?= 127.0.0.1
PORT ?= 5000
export HOST PORT

.DEFAULT_GOAL := help
.PHONY: help run jobs-status install install-dev test lint fmt messages translations migrate db-upgrade seed createadmin clean icons

help: ## Show this help
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[36m%-16s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

install: $(VENV)/.runtime translations ## Create .venv, install the runtime requirements, compile the translations

# axe-core for the accessibility audit (tests/a11y), pinned in package-lock.json.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

install-dev: $(VENV)/.dev node_modules/.package-lock.json ## Install test and lint tools too (and axe-core via npm ci)

run: install db-upgrade seed ## Set up everything and serve http://localhost:5000 (HOST, PORT); jobs and the scheduler run with it
	$(BIN)/python run.py

jobs-status: install ## The last run of each periodic task, and the job queue's length
	$(FLASK) jobs status

db-upgrade: install ## Apply migrations (flask db upgrade)
	$(FLASK) db upgrade

migrate: install ## Create a migration from model changes: make migrate m="add foo"
	$(FLASK) db migrate -m "$(m)"

seed: install ## Load the catalogue and demo data (running it again changes nothing)
	$(FLASK) seed

createadmin: install ## Create an administrator (prompts)
	$(FLASK) createadmin

lint: install-dev ## ruff lint and format check, mypy on app/core and the services modules
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

fmt: install-dev ## Format and autofix with ruff
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

icons: install ## Rebuild app/static/icons/sprite.svg from the icons the templates use
	$(BIN)/python scripts/build_icon_sprite.py

# Translations (app/i18n, README "Languages"): the .po catalogues are the source, kept in
# git; the compiled .mo files are build outputs (gitignored), made at install and in the image.
LOCALES := ru kk
# pybabel skips directories starting with "_" unless told otherwise: templates/_macros holds text.
BABEL_KEYWORDS := -k _l -k lazy_gettext -k lazy_ngettext:1,2 -k lazy_pgettext:1c,2

messages: $(VENV)/.runtime ## Extract every UI string and update the ru/kk catalogues (the translators' step)
	mkdir -p app/translations
	$(BIN)/pybabel extract -F babel.cfg $(BABEL_KEYWORDS) --add-comments=Translators: \
	  --no-location --ignore-dirs='.* __pycache__' -o app/translations/messages.pot app
	for lang in $(LOCALES); do \
	  if [ -f app/translations/$$lang/LC_MESSAGES/messages.po ]; then \
	    $(BIN)/pybabel update -i app/translations/messages.pot -d app/translations -l $$lang \
	      --no-fuzzy-matching --ignore-obsolete; \
	  else $(BIN)/pybabel init -i app/translations/messages.pot -d app/translations -l $$lang; fi; \
	done

translations: $(VENV)/.runtime ## Compile the catalogues (.po -> .mo); install, run and test do it
	@if ls app/translations/*/LC_MESSAGES/messages.po >/dev/null 2>&1; then \
	  $(BIN)/pybabel compile --statistics -d app/translations; \
	else echo "no catalogues in app/translations yet: pages stay in English"; fi

test: install-dev translations lint ## Install, lint and run every test (TEST_DATABASE_URL for PostgreSQL)
	$(BIN)/python -m pytest

clean: ## Remove the virtualenv and caches (keeps instance/ and uploads/)
	rm -rf $(VENV) node_modules .pytest_cache .ruff_cache .mypy_cache

# --- production stack (docker compose; see docs/deployment.md) ---------------------------
# The targets above are for local development (.venv, SQLite). These drive the docker
# compose stack; settings come from .env. COMPOSE can add a project name or env file:
#   make backup COMPOSE="docker compose -p garage-verify --env-file /tmp/x.env"
COMPOSE ?= docker compose
BACKUP_DIR ?= backups
.PHONY: up down restart logs ps build docker-migrate docker-seed docker-createadmin backup restore \
	init-ssl shell psql nginx-reload verify-deploy

up: ## (docker) Build and start the stack, wait until every service is healthy
	$(COMPOSE) up -d --build --wait --wait-timeout 300

down: ## (docker) Stop and remove the containers (data volumes are kept)
	$(COMPOSE) down

restart: ## (docker) Restart the web containers (s=nginx to restart another service)
	$(COMPOSE) restart $(or $(s),web)
	$(COMPOSE) up -d --wait --wait-timeout 120

logs: ## (docker) Follow the logs of every service (s=web for one)
	$(COMPOSE) logs -f --tail=200 $(s)

ps: ## (docker) Show the services and their health
	$(COMPOSE) ps

build: ## (docker) Build the web image
	$(COMPOSE) build web

docker-migrate: ## (docker) Apply migrations in the web container (the entrypoint does it on start too)
	$(COMPOSE) exec -T web flask db upgrade

docker-seed: ## (docker) Load demo users and content into the stack (not for a public site)
	$(COMPOSE) exec -T web flask seed

docker-createadmin: ## (docker) Create an administrator in the stack (prompts)
	$(COMPOSE) exec web flask createadmin

shell: ## (docker) A Flask shell inside the web container
	$(COMPOSE) exec web flask shell

psql: ## (docker) psql on the stack's database
	$(COMPOSE) exec db sh -c 'psql -h /var/run/postgresql -U "$$POSTGRES_USER" "$$POSTGRES_DB"'

nginx-reload: ## (docker) Re-read nginx's config and certificates (after scaling web or a new certificate)
	$(COMPOSE) exec -T nginx sh -c '/docker-entrypoint.d/40-garage-tls.sh && nginx -t -q && nginx -s reload'

backup: ## (docker) pg_dump + uploads archive into backups/<UTC time> (BACKUP_DIR)
	@set -e; ts=$$(date -u +%Y%m%d-%H%M%S); mkdir -p $(BACKUP_DIR); \
	$(COMPOSE) exec -T db sh -c 'pg_dump -h /var/run/postgresql -U "$$POSTGRES_USER" -d "$$POSTGRES_DB" --format=custom --no-owner' \
	  > $(BACKUP_DIR)/db-$$ts.dump.part; \
	$(COMPOSE) exec -T web tar -C /app/uploads -czf - . > $(BACKUP_DIR)/uploads-$$ts.tar.gz.part; \
	mv $(BACKUP_DIR)/db-$$ts.dump.part $(BACKUP_DIR)/db-$$ts.dump; \
	mv $(BACKUP_DIR)/uploads-$$ts.tar.gz.part $(BACKUP_DIR)/uploads-$$ts.tar.gz; \
	ls -l $(BACKUP_DIR)/db-$$ts.dump $(BACKUP_DIR)/uploads-$$ts.tar.gz; \
	echo "backup $$ts written; restore it with: make restore TS=$$ts"

restore: ## (docker) Replace the database and uploads with a backup: make restore TS=<time> (default: newest)
	@set -e; ts="$(TS)"; \
	[ -n "$$ts" ] || ts=$$(ls -1 $(BACKUP_DIR)/db-*.dump 2>/dev/null | sort | tail -n 1 | sed 's/.*db-\(.*\)\.dump/\1/'); \
	db=$(BACKUP_DIR)/db-$$ts.dump; up=$(BACKUP_DIR)/uploads-$$ts.tar.gz; \
	[ -n "$$ts" ] && [ -s "$$db" ] && [ -s "$$up" ] || { echo "no complete backup $$ts in $(BACKUP_DIR)/" >&2; exit 1; }; \
	echo "restoring $$db and $$up"; \
	$(COMPOSE) stop web worker scheduler; \
	$(COMPOSE) exec -T db sh -c 'dropdb -h /var/run/postgresql -U "$$POSTGRES_USER" --if-exists --force "$$POSTGRES_DB" && createdb -h /var/run/postgresql -U "$$POSTGRES_USER" "$$POSTGRES_DB"'; \
	$(COMPOSE) exec -T db sh -c 'pg_restore -h /var/run/postgresql -U "$$POSTGRES_USER" -d "$$POSTGRES_DB" --no-owner --exit-on-error' < "$$db"; \
	$(COMPOSE) run --rm --no-deps -T --entrypoint sh web -c 'find /app/uploads -mindepth 1 -delete && tar -C /app/uploads -xzf -' < "$$up"; \
	$(COMPOSE) run --rm --no-deps -T web flask cache clear; \
	$(COMPOSE) up -d --wait --wait-timeout 120 web worker scheduler; \
	echo "restored $$ts"

init-ssl: ## (docker) First Let's Encrypt certificate for DOMAIN (CERTBOT_STAGING=1 to test, FORCE=1 to renew)
	./init-letsencrypt.sh

verify-deploy: install-dev ## Build the image, run the whole stack in Docker and check it through nginx (root)
	scripts/verify_deploy.sh
