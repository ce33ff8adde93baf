# diplomatic-rhetoric: `make help` lists the targets.
.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

## env: create .venv (if missing) and install the project with pinned dependencies
env: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	@echo "Setting up $(VENV) with the pinned packages (first time only, a minute or two)..."
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "Upgrading pip in $(VENV)..."
	$(BIN)/python -m pip install --quiet --upgrade pip
	set -o pipefail; $(BIN)/python -m pip install --progress-bar on -c constraints.txt -e ".[dev]" \
		| { grep -v "^Requirement already" || true; }
	@echo "Registering the Jupyter kernel python3 of $(VENV)..."
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	@touch $(STAMP)

## report: regenerate reports/: runs the notebooks (two at a time; those whose inputs did not change are reused), then writes the site (index.html, explorer.html, figures.html, one page per notebook); `make report JOBS=1` runs one at a time
report: $(STAMP)
	$(BIN)/rhetoric report $(if $(JOBS),--jobs $(JOBS))

## test: run every test, one test file per core (sets up the environment first); `make test JOBS=1` runs them in one process
test: $(STAMP)
	$(BIN)/python -m pytest $(if $(filter 1,$(JOBS)),,-n $(or $(JOBS),auto) --dist loadfile)

## bench: run the speed and scale benchmark (1x, 4x, 16x of 125,000 words), results in reports/benchmarks/ (`.venv/bin/python bench/benchmark.py --large`: 32 million words)
bench: $(STAMP)
	$(BIN)/python bench/benchmark.py

## lock: re-pin constraints.txt from the current environment (after changing dependencies)
lock: $(STAMP)
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^-e ' > constraints.txt

## clean: remove caches (the environment stays; `rm -rf .venv` removes it)
clean:
	rm -rf data/interim .pytest_cache .hypothesis
	find . -name __pycache__ -prune -exec rm -rf {} +

## help: list the targets
help:
	@grep -E '^## ' $(MAKEFILE_LIST) | sed 's/^## /  make /'

.PHONY: env report test bench lock clean help
