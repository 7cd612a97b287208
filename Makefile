# The two commands a newcomer needs: `make dev` (local mode) and `make test` (everything CI runs).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMPS := .stamps
SITE_SOURCES := $(shell find site -path site/node_modules -prune -o -path site/dist -prune -o -type f -print 2>/dev/null)

.PHONY: dev test lint typecheck unit-site site bench clean

dev: $(STAMPS)/python $(STAMPS)/site-build
	$(PY) -m local_mode --stack $(or $(STACK),dev)

test: lint typecheck unit-site $(STAMPS)/site-build
	$(PY) -m pytest

# Each check alone: CONTRIBUTING.md.
lint: $(STAMPS)/python $(STAMPS)/site-deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	cd site && npm run --silent lint
	cd site && npm run --silent format:check

typecheck: $(STAMPS)/python $(STAMPS)/site-deps
	$(VENV)/bin/pyright
	cd site && npm run --silent typecheck

unit-site: $(STAMPS)/site-deps
	cd site && npm test --silent

site: $(STAMPS)/site-build

bench: $(STAMPS)/python $(STAMPS)/site-build
	$(PY) -m bench

$(STAMPS)/python: requirements.txt requirements-dev.txt handler/requirements.txt
	@echo "==> Creating $(VENV) and installing pinned Python dependencies (first run only)"
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@mkdir -p $(STAMPS) && touch $@

$(STAMPS)/site-deps: site/package.json site/package-lock.json
	@echo "==> Installing the widget's npm dependencies (first run only)"
	cd site && npm ci --no-audit --no-fund
	@mkdir -p $(STAMPS) && touch $@

$(STAMPS)/site-build: $(STAMPS)/site-deps $(SITE_SOURCES)
	@echo "==> Building the widget site into site/dist"
	cd site && npm run build --silent
	@mkdir -p $(STAMPS) && touch $@

clean:
	rm -rf $(VENV) $(STAMPS) site/node_modules site/dist
