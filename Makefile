# Garage: the developer's and the operator's interface. `make help` lists the targets.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
FLASK := FLASK_APP=app $(BIN)/flask
HOST ?= 127.0.0.1
PORT ?= 5000
export HOST PORT

.DEFAULT_GOAL := help
.PHONY: help run install install-dev test lint fmt messages migrate db-upgrade seed createadmin clean

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

install: $(VENV)/.runtime ## Create .venv and install the runtime requirements

install-dev: $(VENV)/.dev ## Install test and lint tools too

run: install db-upgrade seed ## Set up everything and serve http://localhost:5000 (HOST, PORT)
	$(BIN)/python run.py

db-upgrade: install ## Apply migrations (flask db upgrade)
	$(FLASK) db upgrade

migrate: install ## Create a migration from model changes: make migrate m="add foo"
	$(FLASK) db migrate -m "$(m)"

seed: install ## Load the catalogue and demo data (running it again changes nothing)
	$(FLASK) seed

createadmin: install ## Create an administrator (prompts)
	$(FLASK) createadmin

lint: install-dev ## ruff lint and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fmt: install-dev ## Format and autofix with ruff
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: install ## Extract UI strings to app/translations/messages.pot for translators
	mkdir -p app/translations
	$(BIN)/pybabel extract -F babel.cfg -k _l -o app/translations/messages.pot .

test: install-dev lint ## Install, lint and run every test (TEST_DATABASE_URL for PostgreSQL)
	$(BIN)/python -m pytest

clean: ## Remove the virtualenv and caches (keeps instance/ and uploads/)
	rm -rf $(VENV) .pytest_cache .ruff_cache
