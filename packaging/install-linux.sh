#!/usr/bin/env bash
# Put Chokepoint in the desktop menu and make *.chokepoint.json open with it (per user; no root).
#
#   ./install-linux.sh [--prefix DIR] [--uninstall] [BUNDLE_DIR]
#
# BUNDLE_DIR is the one-folder bundle (the folder holding the `chokepoint` executable); by
# default the folder of this script when it sits in the bundle (build.sh copies it there),
# else dist/chokepoint of the checkout. PREFIX defaults to ~/.local: the script links
# PREFIX/bin/chokepoint, installs the icons into PREFIX/share/icons/hicolor, the .desktop entry
# into PREFIX/share/applications and the MIME type into PREFIX/share/mime, then refreshes the
# caches and makes Chokepoint the default for the type when xdg-mime is there.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
PREFIX="$HOME/.local"
UNINSTALL=0
BUNDLE=""
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) PREFIX="$2"; shift 2 ;;
    --uninstall) UNINSTALL=1; shift ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) BUNDLE="$1"; shift ;;
  esac
done
if [ -z "$BUNDLE" ]; then
  if [ -x "$HERE/chokepoint" ]; then BUNDLE="$HERE"; else BUNDLE="$HERE/../dist/chokepoint"; fi
fi
# the .desktop entry and MIME XML: next to this script in a bundle and in packaging/ alike
DESKTOP="$HERE/chokepoint.desktop"
MIME="$HERE/chokepoint-mime.xml"
SHARE="$PREFIX/share"
SIZES="16 24 32 48 64 128 256 512"

refresh() {
  if command -v update-mime-database >/dev/null 2>&1; then update-mime-database "$SHARE/mime"; fi
  if command -v update-desktop-database >/dev/null 2>&1; then
    update-desktop-database "$SHARE/applications" || true
  fi
  if command -v gtk-update-icon-cache >/dev/null 2>&1; then
    gtk-update-icon-cache -q -t "$SHARE/icons/hicolor" || true
  fi
}

if [ "$UNINSTALL" = 1 ]; then
  rm -f "$PREFIX/bin/chokepoint" "$SHARE/applications/chokepoint.desktop" \
    "$SHARE/mime/packages/chokepoint-mime.xml" "$SHARE/icons/hicolor/scalable/apps/chokepoint.svg"
  for s in $SIZES; do rm -f "$SHARE/icons/hicolor/${s}x${s}/apps/chokepoint.png"; done
  refresh
  echo "removed Chokepoint's menu entry, file type and icons from $PREFIX"
  exit 0
fi

BUNDLE="$(cd "$BUNDLE" && pwd)"
if [ ! -x "$BUNDLE/chokepoint" ]; then
  echo "install-linux.sh: no chokepoint executable in $BUNDLE (build it with: make bundle)" >&2
  exit 1
fi
ICONS="$BUNDLE/_internal/resources/icons"

mkdir -p "$PREFIX/bin" "$SHARE/applications" "$SHARE/mime/packages" \
  "$SHARE/icons/hicolor/scalable/apps"
ln -sfn "$BUNDLE/chokepoint" "$PREFIX/bin/chokepoint"
for s in $SIZES; do
  mkdir -p "$SHARE/icons/hicolor/${s}x${s}/apps"
  cp "$ICONS/chokepoint-$s.png" "$SHARE/icons/hicolor/${s}x${s}/apps/chokepoint.png"
done
cp "$ICONS/chokepoint.svg" "$SHARE/icons/hicolor/scalable/apps/chokepoint.svg"
# Exec with the full path: a menu launcher does not always see ~/.local/bin on PATH
sed "s|^Exec=chokepoint |Exec=\"$PREFIX/bin/chokepoint\" |" "$DESKTOP" \
  >"$SHARE/applications/chokepoint.desktop"
cp "$MIME" "$SHARE/mime/packages/chokepoint-mime.xml"
refresh
if command -v xdg-mime >/dev/null 2>&1; then
  xdg-mime default chokepoint.desktop application/x-chokepoint-project || true
fi
echo "installed Chokepoint from $BUNDLE into $PREFIX (menu entry, icons, *.chokepoint.json)"
