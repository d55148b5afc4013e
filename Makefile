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

.PHONY: serve site docs browser test lint typecheck unit bench soak mutate sam-build test-lambda-runtime clean

$(INSTALLED): requirements-dev.txt functions/requirements.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

serve: $(INSTALLED) site
	$(PY) -m partnerapp_infra.local.devserver

# The help-center site: templates/ and site/ built into build/site/.
site: $(INSTALLED)
	$(PY) -m partnerapp_infra.site.builder

# The engineers' docs (docs/, mkdocs.yml) into build/docs/; --strict fails on a broken link.
# mkdocs-material would fetch mermaid from a CDN to draw the architecture diagram: the page
# loads this copy instead, unpacked from its npm package (nothing else of it is installed).
MERMAID_VERSION := 11.12.2
MERMAID := docs/javascripts/mermaid.min.js

docs: $(INSTALLED) $(MERMAID)
	NO_MKDOCS_2_WARNING=1 $(PY) -m mkdocs build --strict

$(MERMAID):
	mkdir -p build/npm-pack $(dir $@)
	cd build/npm-pack && npm pack --silent mermaid@$(MERMAID_VERSION)
	tar -xzf build/npm-pack/mermaid-$(MERMAID_VERSION).tgz -C build/npm-pack package/dist/mermaid.min.js
	cp build/npm-pack/package/dist/mermaid.min.js $@

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
	PYTHONPATH=functions:infra:client $(VENV)/bin/lint-imports --no-cache

typecheck: $(INSTALLED)
	$(PY) -m mypy

# checkov pins a boto3 older than the functions': it has a virtual environment of its own.
CHECKOV_INSTALLED := .venv-checkov/.installed

$(CHECKOV_INSTALLED): requirements-checkov.txt
	test -x .venv-checkov/bin/python || $(PYTHON) -m venv .venv-checkov
	.venv-checkov/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-checkov.txt
	touch $@

test: lint typecheck docs browser $(CHECKOV_INSTALLED)
	$(PY) -m pytest -n 2 --dist loadfile

bench: $(INSTALLED)
	$(PY) -m partnerapp_infra.quality.bench

# A bounded load run (SOAK_SECONDS, 150 by default) with lost responses, then a check of every
# license and email it asked for; exits non-zero on any false conflict, loss or duplicate.
soak: $(INSTALLED)
	$(PY) -m partnerapp_infra.quality.soak

# Mutation testing of the rules' modules with their unit and integration tests; prints the
# score per module (docs/mutation.md); `mutmut results` in build/mutmut lists the survivors.
# mutmut ([tool.mutmut] in pyproject.toml) names a mutant by its file's path, so it runs in
# build/mutmut, where partnerapp/ is a link to functions/partnerapp; its mutated copy is
# build/mutmut/mutants. It keeps its results: a second run tests only what changed.
MUTMUT_DIR := build/mutmut

mutate: $(INSTALLED)
	mkdir -p $(MUTMUT_DIR)
	ln -sfn ../../functions/partnerapp $(MUTMUT_DIR)/partnerapp
	ln -sfn ../../tests $(MUTMUT_DIR)/tests
	ln -sfn ../../pyproject.toml $(MUTMUT_DIR)/pyproject.toml
	cd $(MUTMUT_DIR) && PYTHONPATH=$(CURDIR)/infra:$(CURDIR)/client $(CURDIR)/$(PY) -m mutmut run --max-children 2
	cd $(MUTMUT_DIR) && PYTHONPATH=$(CURDIR)/infra:$(CURDIR)/client $(CURDIR)/$(PY) -m partnerapp_infra.quality.mutation_scores

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
	rm -rf $(VENV) .venv-sam .venv-checkov $(LAMBDA_VENV) build $(MERMAID) node_modules .pytest_cache .mypy_cache .ruff_cache
