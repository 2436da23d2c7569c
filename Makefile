# Two entry points a new user needs: `make run` (the TUI) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The CPU wheel of torch must come first: anything unpinned pulls gigabytes of CUDA packages.
TORCH := torch==2.13.0

.PHONY: run test serve install install-dev bytecode lint bench clean

run: install bytecode
	$(BIN)/zhen

test: install-dev
	OMP_WAIT_POLICY=PASSIVE $(BIN)/python -m pytest -q

# The optional local translation server (the `serve` extra), on http://127.0.0.1:5000.
serve: install
	$(BIN)/pip install -q -e ".[serve]"
	$(BIN)/zhen serve

# Style, architecture contracts (no import cycles, the library never imports the UI), types.
lint: install-dev
	$(BIN)/ruff check translator tui tests bench
	$(BIN)/lint-imports
	$(BIN)/mypy

bench: install-dev bytecode
	$(BIN)/python bench/run.py

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# zhen's own modules compiled ahead (only the changed ones, in milliseconds): an editable install
# leaves them to the first import, and with PYTHONDONTWRITEBYTECODE set every start would compile
# them again (0.1 s of the TUI's start-up).
bytecode: install
	$(BIN)/python -m compileall -q translator tui

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q $(TORCH)
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install -q -e ".[dev]"
	touch $@

clean:
	rm -rf $(VENV) build *.egg-info
