#!/usr/bin/env bash
# Refresh the lock files (`make lock`): exact versions with hashes of every package the dev
# venv, CI (requirements/dev.lock) and the bundle (requirements/bundle.lock) install.
#
# Resolved for every platform at once (--universal) against Python 3.11, from the ranges in
# pyproject.toml and requirements/*.in; the bundle lock is constrained to the dev lock's
# versions so users get exactly what the tests ran. An upgrade is a commit of the changed lock
# files, after `make test` (which includes the soak test) passes with them.
# The resolver, uv, is pinned and installed into build/lock-tool, never into the project's venv.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PY="${PY:-python3}"
UV_VERSION=0.13.9
TOOL="$ROOT/build/lock-tool"
if [ ! -x "$TOOL/bin/uv" ] || [ "$("$TOOL/bin/uv" --version | cut -d' ' -f2)" != "$UV_VERSION" ]; then
  "$PY" -m venv "$TOOL"
  "$TOOL/bin/python" -m pip install --quiet "uv==$UV_VERSION"
fi
cd "$ROOT"
common=(--universal --python-version 3.11 --generate-hashes --no-header --quiet)
"$TOOL/bin/uv" pip compile pyproject.toml requirements/build-backend.in --extra test \
  "${common[@]}" -o requirements/dev.lock
"$TOOL/bin/uv" pip compile pyproject.toml requirements/bundle.in -c requirements/dev.lock \
  "${common[@]}" -o requirements/bundle.lock
grep -hiE '^(pyside6-essentials|shiboken6|numpy|pydantic|pyqtgraph|pyinstaller)==' \
  requirements/dev.lock requirements/bundle.lock | sort -u | sed 's/ *\\$//'
