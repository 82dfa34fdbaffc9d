# Healthbook: the two commands a newcomer needs are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
NODE_STAMP := schema/node_modules/.installed-stamp
GRAPHIQL_STAMP := router/static/vendor/.copied-stamp
WEB_NODE_STAMP := web/node_modules/.installed-stamp
WEB_STAMP := router/static/web/.built-stamp
WEB_SOURCES := $(shell find web/src web/public -type f 2>/dev/null) web/index.html \
	web/vite.config.ts web/tsconfig.json
UV_VERSION := 0.13.9
# pytest processes (pytest-xdist, whole test files per process); PYTEST_WORKERS=0 runs in one
PYTEST_WORKERS ?= 2

.PHONY: run test install node web webtest web-screenshots lint typecheck services tools pytest schema clean bench

## run: the whole system in the embedded mode (SQLite, in-process broker), demo data included
run: install node
	$(BIN)/healthbook up --seed

## test: install everything, start missing services, lint, type-check and run the whole suite
test: install node services tools lint typecheck webtest pytest

install: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(BIN)/uv pip install --quiet --python $(PY) -r requirements.lock
	$(BIN)/uv pip install --quiet --python $(PY) --no-deps -e .
	touch $@

## node: npm tooling pinned by lockfiles (supergraph composition, reference gateway, browser
## tests), the GraphiQL assets the router serves, copied from it, and the web app, built
node: $(NODE_STAMP) $(GRAPHIQL_STAMP) web

## web: the reference SPA (web/, TypeScript + React + Vite) built into router/static/web/
web: $(WEB_STAMP)

$(WEB_NODE_STAMP): web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(WEB_STAMP): $(WEB_NODE_STAMP) $(WEB_SOURCES)
	cd web && npm run --silent build
	touch $@

## webtest: the web app's type check and component tests (Vitest + Testing Library)
webtest: $(WEB_NODE_STAMP)
	cd web && npx tsc -b && npx vitest run

## web-screenshots: refresh the README's screenshots (web/docs/) from the e2e journeys that take them
web-screenshots: $(WEB_STAMP)
	WEB_DOCS_SCREENSHOTS=1 $(PY) -m pytest tests/e2e/web/test_journeys.py tests/e2e/web/test_admin_journeys.py \
		-q -p no:cacheprovider -k "books_the_doctor_confirms or approves_a_pending or seeded_figures"

$(NODE_STAMP): schema/package.json schema/package-lock.json
	cd schema && npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(GRAPHIQL_STAMP): $(NODE_STAMP) scripts/vendor-graphiql.sh
	bash scripts/vendor-graphiql.sh
	touch $@

services:
	bash scripts/ensure-services.sh

## tools: the headless browser of the GraphiQL test (Debian chromium), and the deploy tests'
## helm, checkov, promtool and actionlint in .tools/bin (pinned by hash, offline afterwards)
tools: install
	bash scripts/ensure-tools.sh
	bash scripts/ensure-deploy-tools.sh

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: install
	$(BIN)/mypy .

pytest: install
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

schema: install node
	$(BIN)/healthbook schema export
	$(BIN)/healthbook schema compose
	cd web && npx graphql-codegen --config codegen.ts

bench: install node
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .tools schema/node_modules web/node_modules router/static/vendor router/static/web .mypy_cache .ruff_cache .pytest_cache
