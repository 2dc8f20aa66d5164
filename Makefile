# Chargeback Desk — set-up, run and test in one command each (see README).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint bench bundle mutation clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (set PYTHON=python3.11)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

$(VENV)/.installed-bench: $(VENV)/.installed-test
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	@touch $@

run: $(VENV)/.installed
	$(BIN)/chargeback-desk gui --demo

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy --strict app/domain
	$(BIN)/check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/release.yml

test: lint
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q

bench: $(VENV)/.installed-bench
	$(BIN)/python -m tests.bench.bench_month --rows 1000000 5000000
	$(BIN)/python -m tests.bench.bench_import
	$(BIN)/python -m tests.bench.bench_workbook

# The desktop bundle (PyInstaller, one folder) for this operating system, built in a virtual
# environment with the runtime dependencies only, then checked: the frozen self-test and a
# frozen screenshot must pass (packaging/check_bundle.py).
BUNDLE_VENV := .venv-bundle
PYINSTALLER := pyinstaller==6.22.3

$(BUNDLE_VENV)/bin/python:
	$(PYTHON) -m venv $(BUNDLE_VENV)
	$(BUNDLE_VENV)/bin/python -m pip install --quiet --upgrade pip

bundle: $(BUNDLE_VENV)/bin/python
	$(BUNDLE_VENV)/bin/python -m pip install --quiet . '$(PYINSTALLER)'
	$(BUNDLE_VENV)/bin/pyinstaller --noconfirm --clean --distpath dist --workpath build/pyinstaller packaging/chargeback-desk.spec
	$(BUNDLE_VENV)/bin/python packaging/check_bundle.py dist/chargeback-desk

$(VENV)/.installed-mutation: $(VENV)/.installed-test
	$(BIN)/python -m pip install --quiet -e '.[test,mutation]'
	@touch $@

# Mutation testing of the money rules and period code (slow: tens of minutes on 2 cores).
mutation: $(VENV)/.installed-mutation
	$(BIN)/mutmut run --max-children 2 || true
	$(BIN)/mutmut results

clean:
	rm -rf $(VENV) $(BUNDLE_VENV) build dist *.egg-info .pytest_cache .ruff_cache mutants
