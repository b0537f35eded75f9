# drillbook — `make demo` and `make test` each set up .venv on their own (Python 3.11+ only).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SPECS := specs
DEMO_OUT := demo-output

.PHONY: demo test lint typecheck pytest bench site clean help

help:
	@echo "make demo   set up .venv and run drillbook on specs/ (compile, lint, simulate, render)"
	@echo "make test   set up .venv with test extras and run ruff, mypy and pytest"
	@echo "make bench  measure speed: each figure, its target, pass/fail (ONLY='cold-start …' for some)"
	@echo "make site   rebuild site/ from specs/"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "drillbook needs Python 3.11 or newer (found " + sys.version.split()[0] + "); set PYTHON=python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@ $(VENV)/.installed

demo: $(VENV)/.installed
	@$(BIN)/python scripts/demo.py $(SPECS) $(DEMO_OUT)

test: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/pytest

$(VENV)/.installed-bench: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	@touch $@ $(VENV)/.installed-test $(VENV)/.installed

bench: $(VENV)/.installed-bench
	$(BIN)/python -m benchmarks $(if $(ONLY),--only $(ONLY))

site: $(VENV)/.installed
	$(BIN)/drillbook site $(SPECS) -o site --force

clean:
	rm -rf $(VENV) $(DEMO_OUT) .pytest_cache .mypy_cache .ruff_cache
