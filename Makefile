# The only entry points. Each target sets up .venv first when it is missing or stale.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: generate test check validate bundle lint fuzz serve clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

generate: $(STAMP)
	$(BIN)/emqx-codegen generate

validate: $(STAMP)
	$(BIN)/emqx-codegen validate

bundle: $(STAMP)
	$(BIN)/emqx-codegen bundle

check: $(STAMP)
	$(BIN)/emqx-codegen check

lint: $(STAMP)
	$(BIN)/ruff check generator tests templates
	$(BIN)/ruff format --check generator tests templates
	$(BIN)/mypy

test: lint
	$(BIN)/pytest

fuzz: $(STAMP)
	FUZZ_CASES=$${FUZZ_CASES:-2000} $(BIN)/pytest -q tests/hardening

serve: $(STAMP)
	$(BIN)/emqx-codegen serve

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
