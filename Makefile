# Partner App. `make serve` runs it locally; `make test` installs what the tests need and runs them.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
# Browser tests drive Debian's Chromium (never a browser download) and audit with axe-core.
CHROMIUM := /usr/bin/chromium
AXE_VERSION := 4.14.1
AXE := node_modules/axe-core/axe.min.js

.PHONY: serve site browser test lint typecheck unit bench sam-build clean

$(INSTALLED): requirements-dev.txt functions/requirements.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

serve: $(INSTALLED) site
	$(PY) -m partnerapp_infra.devserver

# The help-center site: templates/ and site/ built into build/site/.
site: $(INSTALLED)
	$(PY) -m partnerapp_infra.site_builder

browser: $(CHROMIUM) $(AXE)

$(CHROMIUM):
	apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium

$(AXE):
	npm install --prefix . --no-save --no-package-lock --no-audit --no-fund axe-core@$(AXE_VERSION)

lint: $(INSTALLED)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

typecheck: $(INSTALLED)
	$(PY) -m mypy

test: lint typecheck browser
	$(PY) -m pytest -n 2 --dist loadfile

bench: $(INSTALLED)
	$(PY) -m partnerapp_infra.bench

# `sam build` as `sam deploy` would use it, without Docker or AWS, and an import check of every
# built function on python3.12 (.ci/run runs it after the tests; it downloads the functions'
# requirements, so `make test` does not depend on it).
SAM_INSTALLED := .venv-sam/.installed

$(SAM_INSTALLED): requirements-sam.txt
	test -x .venv-sam/bin/python || $(PYTHON) -m venv .venv-sam
	.venv-sam/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-sam.txt
	touch $@

sam-build: $(INSTALLED) $(SAM_INSTALLED)
	infra/sam_build.sh

clean:
	rm -rf $(VENV) .venv-sam build node_modules .pytest_cache .mypy_cache .ruff_cache
