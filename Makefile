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
	$(BIN)/python -m pip install --quiet --upgrade pip
	set -o pipefail; $(BIN)/python -m pip install --progress-bar on -c constraints.txt -e ".[dev]" \
		| { grep -v "^Requirement already" || true; }
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	@touch $(STAMP)

## report: regenerate reports/ (runs every notebook, writes figures, tables, index.html)
report: $(STAMP)
	$(BIN)/rhetoric report

## test: run every test (sets up the environment first)
test: $(STAMP)
	$(BIN)/python -m pytest

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
