#!/usr/bin/env bash
# Build the one-folder bundle: `make bundle` (or packaging/build.sh) -> dist/chokepoint/.
#
# The bundle is built in its own venv (build/bundle-venv) that holds only the runtime
# dependencies plus PyInstaller, installed from requirements/bundle.lock (exact versions with
# hashes, the same pins as requirements/dev.lock); the app's own code comes from this
# checkout. The venv is made again whenever the lock file changes.
#   PY=python3.11          interpreter for the venv (needs its shared libpython)
#   BUNDLE_VENV=DIR        venv to use (default build/bundle-venv)
#   BUNDLE_DIST=DIR        output folder (default dist; the bundle is DIR/chokepoint)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PY="${PY:-python3}"
VENV="${BUNDLE_VENV:-$ROOT/build/bundle-venv}"
DIST="${BUNDLE_DIST:-$ROOT/dist}"
WORK="$ROOT/build/pyinstaller"
START=$(date +%s)

if [ "$(uname -s)" = Linux ] && ! command -v objdump >/dev/null 2>&1; then
  echo "build.sh: PyInstaller needs objdump on Linux: sudo apt-get install binutils" >&2
  exit 1
fi

LOCK="$ROOT/requirements/bundle.lock"
STAMP="$VENV/.deps-$(cksum <"$LOCK" | cut -d' ' -f1)"
VPY="$VENV/bin/python"
case "$(uname -s)" in MINGW*|MSYS*|CYGWIN*) VPY="$VENV/Scripts/python.exe" ;; esac  # Git Bash
if [ ! -f "$STAMP" ]; then
  echo "build.sh: creating $VENV (runtime dependencies + PyInstaller, from $LOCK)"
  rm -rf "$VENV"
  "$PY" -m venv "$VENV"
  # exactly the locked versions, hash-checked: the same pins the tests and the soak test ran
  # (refresh with `make lock`); the app's own code comes from this checkout
  "$VPY" -m pip install --quiet --disable-pip-version-check --require-hashes -r "$LOCK"
  touch "$STAMP"
fi

# Only one Qt binding may be present: PyInstaller's hooks refuse several, and the PySide6
# meta package would bring in the Addons (WebEngine, 3D, ...).
"$VPY" - <<'EOF'
import sys
from importlib.metadata import PackageNotFoundError, version

unwanted = ["PySide6", "PySide6-Addons", "PyQt5", "PyQt6", "PySide2"]
found = []
for name in unwanted:
    try:
        found.append(f"{name} {version(name)}")
    except PackageNotFoundError:
        pass
if found:
    sys.exit(f"build.sh: the bundle venv must hold only PySide6-Essentials; found {found}")
EOF

"$VPY" -m PyInstaller --noconfirm --log-level WARN \
  --distpath "$DIST" --workpath "$WORK" "$ROOT/packaging/chokepoint.spec"

if [ "$(uname -s)" = Linux ]; then
  # desktop integration travels with the bundle: ./install-linux.sh in the bundle folder
  cp "$ROOT/packaging/chokepoint.desktop" "$ROOT/packaging/chokepoint-mime.xml" \
    "$ROOT/packaging/install-linux.sh" "$DIST/chokepoint/"
fi

END=$(date +%s)
echo "build.sh: built $DIST/chokepoint in $((END - START)) s; size $(du -sh "$DIST/chokepoint" | cut -f1)"
