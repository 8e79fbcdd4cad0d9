# Two commands do everything on a fresh clone with only python3 present:
#   make run   - create .venv if missing, install, open the app on the bundled example
#   make test  - create .venv if missing, install with test extras, run the whole suite
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: run test lint bench validate bundle clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/chokepoint

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m ruff check core app tests benchmarks packaging
	$(BIN)/python -m mypy core app
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_core.py

# one-folder PyInstaller bundle in dist/chokepoint, built from its own clean venv
# (build/bundle-venv: runtime dependencies + PyInstaller only); see packaging/README.md
bundle:
	PY=$(PY) packaging/build.sh

validate: $(STAMP)
	$(BIN)/python benchmarks/validate.py

clean:
	rm -rf $(VENV) build dist .pytest_cache
