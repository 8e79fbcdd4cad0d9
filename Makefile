# Two commands do everything on a fresh clone with only python3 present:
#   make run   - create .venv if missing, install, open the app on the bundled example
#   make test  - create .venv if missing, install with test extras, run the whole suite
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
LOCK := requirements/dev.lock
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml $(LOCK) | cksum | cut -d' ' -f1)

.PHONY: run test lint bench validate bundle clean lock soak

# Exact versions with hashes from the lock file (scripts/lock.sh, `make lock`), then the
# project itself, editable, built by the locked setuptools: a new upstream release cannot
# change what is installed without a commit.
$(STAMP): pyproject.toml $(LOCK)
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps \
	  --no-build-isolation -e .
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

# refresh requirements/*.lock from pyproject.toml and requirements/*.in (needs the network)
lock:
	PY=$(PY) scripts/lock.sh

# the window driven for 300 scenario switches, then an analyst's 600-step session
# (tests/gui/analyst.py), both through tests/gui/test_soak.py; `make test` runs the 300 switches and a
# 40-step session (tests/gui/test_session.py), the 600-step one only here (~12 min)
soak: $(STAMP)
	CHOKEPOINT_LONG_SOAK=1 QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -m soak tests/gui/test_soak.py

clean:
	rm -rf $(VENV) build dist .pytest_cache
