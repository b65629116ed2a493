# Two commands for a fresh machine: `make run` and `make test`. Everything else is a helper.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
# The first interpreter of 3.12 or newer: pyenv's (selected by .python-version), then the PATH's.
PYTHON := $(shell for p in python3.13 python3.12 python3 python; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null \
	&& { command -v $$p; break; }; done)
CHROMIUM ?= $(shell command -v chromium 2>/dev/null || command -v chromium-browser 2>/dev/null || echo /usr/bin/chromium)
export CHROMIUM

# Installs come from lock files with a hash for every package, transitive ones included;
# `make lock` writes them from pyproject.toml (after adding or bumping a dependency there).
UV_VERSION := 0.13.8
LOCK_OPTIONS := --quiet --universal --python-version 3.12 --generate-hashes --group build \
	--custom-compile-command "make lock"

.PHONY: help run test lint lock setup setup-test db course demo check-browser bench clean

help:
	@echo "make run    set up and serve the app on http://127.0.0.1:$(PORT) (SQLite, course loaded)"
	@echo "make test   set up and run the whole test suite, browser tests included"
	@echo "make lint   ruff and the import-linter contracts of ARCHITECTURE.md"
	@echo "make bench  load and scale benchmark (see bench/README.md)"
	@echo "make lock   rewrite the requirements*.lock files from pyproject.toml (uv, with hashes)"

$(VENV)/.ok-runtime: requirements.lock
	@test -n "$(PYTHON)" || { echo "No Python 3.12 or newer found. Install one (for example 'pyenv install 3.12') and run make again."; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes -r requirements.lock
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	@touch $@

$(VENV)/.ok-test: $(VENV)/.ok-runtime requirements-test.lock
	$(PY) -m pip install --quiet --require-hashes -r requirements-test.lock
	@touch $@

setup: $(VENV)/.ok-runtime

setup-test: $(VENV)/.ok-test

db: setup
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py load_course

demo: db
	DEBUG=1 $(PY) manage.py load_demo

run: demo
	@echo "Serving on http://127.0.0.1:$(PORT)/ (demo sign-ins are in README.md)"
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:$(PORT)

check-browser:
	@if [ ! -x "$(CHROMIUM)" ]; then \
	  echo "No Chromium found for the browser tests. Install Debian's: sudo apt-get install chromium"; \
	  echo "(or point CHROMIUM at a Chromium binary)."; \
	  if [ "$$CI" = "true" ]; then exit 1; fi; \
	fi

# The whole suite on TEST_WORKERS processes (pytest-xdist, one module per worker at a time so
# module fixtures are built once), browser tests included: each worker has its own database,
# live server on a free port and Chromium. Then the tests marked `serial` (not safe beside
# other workers), one at a time, if any test file marks one (collecting the suite again for
# nothing costs about 13 s). Exit status 5 is "nothing selected".
TEST_WORKERS ?= 2
test: setup-test check-browser
	DEBUG=1 $(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile -m "not serial" \
	  $(PYTEST_ARGS) || [ $$? -eq 5 ]
	@if grep -rqF "mark.serial" tests; then \
	  echo 'DEBUG=1 $(PY) -m pytest -m serial $(PYTEST_ARGS)'; \
	  DEBUG=1 $(PY) -m pytest -m serial $(PYTEST_ARGS) || [ $$? -eq 5 ]; \
	fi

# Mutation testing of the core, one module at a time (slow; not part of make test).
# `make mutate MODULES="grading tokens"` for some; MUTATE_JOBS=2 to use two processes.
.PHONY: mutate
mutate: setup-test
	nice -n 19 $(PY) tools/mutate.py $(MODULES)

lint: setup-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

bench: setup
	$(PY) -m pip install --quiet --require-hashes -r requirements-bench.lock
	$(PY) bench/run.py

# uv comes from PyPI into the project's own environment; it resolves for every platform.
lock:
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet uv==$(UV_VERSION)
	$(VENV)/bin/uv pip compile pyproject.toml $(LOCK_OPTIONS) -o requirements.lock
	$(VENV)/bin/uv pip compile pyproject.toml $(LOCK_OPTIONS) --extra test -o requirements-test.lock
	$(VENV)/bin/uv pip compile pyproject.toml $(LOCK_OPTIONS) --extra bench -o requirements-bench.lock

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
