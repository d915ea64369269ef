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

# The generated packages, importable from .venv: one .pth file in the venv's site-packages
# names generated/, so `import emqx_client, emqx_server_stub` finds the folders that
# `generate` writes (and any later regeneration, with no reinstall). Not `pip install -e`:
# the packages' projects (generated/packages/<name>/) do not hold their package, which the
# dist target puts beside them in a temporary folder, so an editable build would need a
# build backend per package and a path setting outside the project in each published
# pyproject. A .pth is what an editable install writes anyway; this one needs no network.
GENERATED_PTH := $(VENV)/.generated-on-path

$(GENERATED_PTH): $(STAMP) Makefile
	$(BIN)/python -c 'import pathlib, sys, sysconfig; \
	  pathlib.Path(sysconfig.get_path("purelib"), "emqx_codegen_generated.pth").write_text(sys.argv[1] + "\n")' \
	  "$(abspath generated)"
	touch $(GENERATED_PTH)

generate: $(GENERATED_PTH)
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

# The suite runs in parallel (pytest-xdist), one worker per CPU, at most 4: each worker
# collects and loads everything, so more would cost more than they gain. `--dist loadgroup`
# keeps together the tests tests/conftest.py groups. `make test PYTEST_WORKERS=0` runs it
# in one process. The dist extra is installed first (below, after its stamp is defined):
# tests/dist runs `make dist`, which would otherwise install it into .venv while other
# workers use it.
PYTEST_WORKERS ?= logical
PYTEST_XDIST := -n $(PYTEST_WORKERS) --maxprocesses 4 --dist loadgroup

test: lint $(GENERATED_PTH)
	$(BIN)/pytest $(PYTEST_XDIST)

fuzz: $(STAMP)
	FUZZ_CASES=$${FUZZ_CASES:-2000} DIFF_FUZZ_CASES=$${DIFF_FUZZ_CASES:-1000} \
	DIFF_SWEEP=1 STUB_FUZZ_COVERAGE=1 CONCURRENCY_ROUNDS=$${CONCURRENCY_ROUNDS:-8} \
	FAILED_WRITES_PER_OP=$${FAILED_WRITES_PER_OP:-0} STATEFUL_RUNS=$${STATEFUL_RUNS:-200} \
	STATEFUL_STEPS=$${STATEFUL_STEPS:-40} \
	KILL_DELAYS=$${KILL_DELAYS:-0.1,0.2,0.35,0.5,0.75,1,1.25,1.5,1.75,2,2.5,3,4} \
	$(BIN)/pytest -q tests/hardening

# The breaking-change report of the working spec against BASE (a git ref).
BASE ?= main
diff: $(STAMP)
	$(BIN)/emqx-codegen diff $(BASE):spec/ spec/

serve: $(GENERATED_PTH)
	$(BIN)/emqx-codegen serve

# dist: sdist and wheel of each generated package into $(DIST_DIR), checked by twine.
# Each distribution is assembled in a temporary folder: generated/packages/<name>/ (its
# pyproject, README, LICENSE, CHANGELOG) + the package + openapi.json. Reproducible:
# SOURCE_DATE_EPOCH is the last commit touching spec/ or generated/, and the backend is
# the pinned hatchling of the `dist` extra (no isolated build env).
DIST_DIR ?= dist
DIST_PACKAGES := emqx_client emqx_server_stub
DIST_STAMP := $(VENV)/.installed-dist

$(DIST_STAMP): $(STAMP)
	$(BIN)/pip install --quiet -e '.[test,dist]'
	touch $(DIST_STAMP)

test: $(DIST_STAMP)

.PHONY: dist
dist: $(DIST_STAMP)
	@set -eu; \
	epoch=$$(git log -1 --format=%ct -- spec generated 2>/dev/null || true); \
	export SOURCE_DATE_EPOCH=$${SOURCE_DATE_EPOCH:-$${epoch:-315532800}}; \
	work=$$(mktemp -d); trap 'rm -rf "$$work"' EXIT; \
	rm -rf $(DIST_DIR); mkdir -p $(DIST_DIR); \
	for pkg in $(DIST_PACKAGES); do \
	  name=$$(echo $$pkg | tr _ -); \
	  cp -R generated/packages/$$name "$$work/$$name"; \
	  cp -R generated/$$pkg generated/openapi.json "$$work/$$name/"; \
	  find "$$work/$$name" \( -name __pycache__ -o -name '*.pyc' -o -name '.*' \) -prune \
	    -exec rm -rf {} +; \
	  $(BIN)/python -m build --quiet --no-isolation --outdir $(DIST_DIR) "$$work/$$name"; \
	done; \
	$(BIN)/twine check --strict $(DIST_DIR)/*; \
	echo "SOURCE_DATE_EPOCH=$$SOURCE_DATE_EPOCH"; \
	cd $(DIST_DIR) && sha256sum *

# Speed and memory beside the peer generators (tests/bench/run.py, about 8 minutes). The
# peers are installed into .venv-bench only: generate and test never need them.
BENCH_VENV := .venv-bench

$(BENCH_VENV)/.installed: pyproject.toml tests/bench/peers.txt tests/bench/install.py
	$(PYTHON) tests/bench/install.py $(BENCH_VENV)

.PHONY: bench
bench: $(BENCH_VENV)/.installed
	$(BENCH_VENV)/bin/python -m tests.bench.run

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
