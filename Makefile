# Partner App. `make serve` runs it locally; `make test` installs what the tests need and runs them.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed

.PHONY: serve test lint typecheck unit bench clean

$(INSTALLED): requirements-dev.txt functions/requirements.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

serve: $(INSTALLED)
	$(PY) -m partnerapp_infra.devserver

lint: $(INSTALLED)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

typecheck: $(INSTALLED)
	$(PY) -m mypy

test: lint typecheck
	$(PY) -m pytest -n 2 --dist loadfile

bench: $(INSTALLED)
	$(PY) -m partnerapp_infra.bench

clean:
	rm -rf $(VENV) build .pytest_cache .mypy_cache .ruff_cache
