# Partner App. `make serve` runs it locally; `make test` installs what the tests need and runs them.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
# Browser tests drive Debian's Chromium (never a browser download) and audit with axe-core.
CHROMIUM := /usr/bin/chromium
# The conformance suite (tests/compat) runs the Text API docs' own curl examples.
CURL := /usr/bin/curl
AXE_VERSION := 4.14.1
AXE := node_modules/axe-core/axe.min.js
# The Nu HTML checker (vnu.jar, run with the machine's Java) validates every email's HTML part.
VNU_VERSION := 26.9.27
VNU := node_modules/vnu-jar/build/dist/vnu.jar
# One npm install for every package: an install without a package.json removes what an earlier
# `--no-save` install put there.
NPM_PACKAGES := axe-core@$(AXE_VERSION) vnu-jar@$(VNU_VERSION)

.PHONY: serve site browser test lint typecheck unit bench soak mutate sam-build test-lambda-runtime clean

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

browser: $(CHROMIUM) $(AXE) $(VNU) $(CURL)

$(CHROMIUM):
	apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium

$(CURL):
	apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y curl

$(AXE) $(VNU) &:
	npm install --prefix . --no-save --no-package-lock --no-audit --no-fund $(NPM_PACKAGES)

# bandit's settings (and why each skipped test is skipped) are in pyproject.toml.
lint: $(INSTALLED)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m bandit --quiet --configfile pyproject.toml --recursive functions infra client

typecheck: $(INSTALLED)
	$(PY) -m mypy

# checkov pins a boto3 older than the functions': it has a virtual environment of its own.
CHECKOV_INSTALLED := .venv-checkov/.installed

$(CHECKOV_INSTALLED): requirements-checkov.txt
	test -x .venv-checkov/bin/python || $(PYTHON) -m venv .venv-checkov
	.venv-checkov/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-checkov.txt
	touch $@

test: lint typecheck browser $(CHECKOV_INSTALLED)
	$(PY) -m pytest -n 2 --dist loadfile

bench: $(INSTALLED)
	$(PY) -m partnerapp_infra.bench

# A bounded load run (SOAK_SECONDS, 150 by default) with lost responses, then a check of every
# license and email it asked for; exits non-zero on any false conflict, loss or duplicate.
soak: $(INSTALLED)
	$(PY) -m partnerapp_infra.soak

# Mutation testing of the rules' modules with their unit and integration tests; prints the
# score per module and every surviving mutant (README, Quality).
mutate: $(INSTALLED)
	$(PY) -m partnerapp_infra.mutate --jobs 2

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

# The tests that need no browser, again on python3.12, the functions' Lambda runtime (`make
# test` runs on the machine's Python); .ci/run runs it.
LAMBDA_VENV := .venv-lambda
LAMBDA_INSTALLED := $(LAMBDA_VENV)/.installed

$(LAMBDA_INSTALLED): requirements-dev.txt functions/requirements.txt pyproject.toml
	test -x $(LAMBDA_VENV)/bin/python || "$$(infra/lambda_python.sh)" -m venv $(LAMBDA_VENV)
	$(LAMBDA_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	$(LAMBDA_VENV)/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

test-lambda-runtime: $(LAMBDA_INSTALLED) $(CHECKOV_INSTALLED)
	$(LAMBDA_VENV)/bin/python -m pytest -n 2 --dist loadfile -p no:cacheprovider tests/unit tests/integration tests/infra

clean:
	rm -rf $(VENV) .venv-sam .venv-checkov $(LAMBDA_VENV) build node_modules .pytest_cache .mypy_cache .ruff_cache
