# The two commands a newcomer needs: `make dev` (local mode) and `make test` (everything CI runs).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMPS := .stamps
SITE_SOURCES := $(shell find site -path site/node_modules -prune -o -path site/dist -prune -o -type f -print 2>/dev/null)
# The committed build: a file edited, or rewritten by a checkout, is rebuilt from the sources.
SITE_DIST := $(shell find site/dist -type f -print 2>/dev/null)

.PHONY: dev test lint typecheck unit-site site site-check package bench clean

dev: $(STAMPS)/python $(STAMPS)/site-build
	$(PY) -m local_mode --stack $(or $(STACK),dev)

test: lint typecheck unit-site site-check
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

# Always rebuilds: the way to refresh the committed site/dist after changing the widget.
site:
	@rm -f $(STAMPS)/site-build
	$(MAKE) --no-print-directory $(STAMPS)/site-build

# site/dist is committed (package consumers have no Node): it must be exactly what the sources
# build, with nothing added or removed. vite's output is byte-for-byte reproducible.
site-check: $(STAMPS)/site-build
	@changes="$$(git status --porcelain --untracked-files=all -- site/dist)" || exit 1; \
	if [ -n "$$changes" ]; then \
	  echo "$$changes"; \
	  echo "site/dist differs from the build of the widget sources: run \`make site\` and commit site/dist"; \
	  exit 1; \
	fi

# The connect-chat wheel in dist/, offline: setuptools comes pinned from the venv. Stale build/
# trees are removed first (setuptools would pack files deleted since the last build).
package: $(STAMPS)/python site-check
	rm -rf build/lib build/bdist.* connect_chat.egg-info
	$(PY) -m pip wheel --quiet --no-deps --no-build-isolation --wheel-dir dist .

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

$(STAMPS)/site-build: $(STAMPS)/site-deps $(SITE_SOURCES) $(SITE_DIST)
	@echo "==> Building the widget site into site/dist"
	cd site && npm run build --silent
	@mkdir -p $(STAMPS) && touch $@

# site/dist is committed, so it stays.
clean:
	rm -rf $(VENV) $(STAMPS) site/node_modules dist build/lib build/bdist.* connect_chat.egg-info
