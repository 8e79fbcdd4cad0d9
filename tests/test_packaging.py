"""Desktop integration files and icons of packaging/ are valid and install where desktops look.

Fast and without Qt; the bundle itself is tested in test_bundle.py.
"""

from __future__ import annotations

import configparser
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"
MIME_TYPE = "application/x-chokepoint-project"
NS = {"m": "http://www.freedesktop.org/standards/shared-mime-info"}


def desktop_entry(path: Path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, delimiters=("=",))
    parser.optionxform = str  # keys are case-sensitive
    parser.read(path, encoding="utf-8")
    return parser["Desktop Entry"]


def test_desktop_entry_opens_projects():
    entry = desktop_entry(PACKAGING / "chokepoint.desktop")
    assert entry["Exec"] == "chokepoint %f"
    assert entry["Icon"] == "chokepoint"
    assert entry["MimeType"] == f"{MIME_TYPE};"
    assert entry["Terminal"] == "false"


def test_desktop_entry_validates():
    if shutil.which("desktop-file-validate") is None:
        pytest.skip("desktop-file-validate not installed (apt-get install desktop-file-utils)")
    proc = subprocess.run(["desktop-file-validate", str(PACKAGING / "chokepoint.desktop")],
                          capture_output=True, text=True)
    assert proc.returncode == 0 and not proc.stdout.strip(), proc.stdout + proc.stderr


def test_mime_xml_declares_the_project_glob():
    root = ET.parse(PACKAGING / "chokepoint-mime.xml").getroot()
    mime = root.find("m:mime-type", NS)
    assert mime is not None and mime.get("type") == MIME_TYPE
    assert [g.get("pattern") for g in mime.findall("m:glob", NS)] == ["*.chokepoint.json"]


def test_platform_icons_have_the_sizes():
    pil = pytest.importorskip("PIL.Image")
    ico = pil.open(PACKAGING / "icons" / "chokepoint.ico")
    assert {(16, 16), (32, 32), (48, 48), (256, 256)} <= set(ico.info["sizes"])
    icns = pil.open(PACKAGING / "icons" / "chokepoint.icns")
    assert (512, 512, 2) in icns.info["sizes"] and (16, 16, 2) in icns.info["sizes"]
    for size in (16, 24, 32, 48, 64, 128, 256, 512):
        png = pil.open(ROOT / "resources" / "icons" / f"chokepoint-{size}.png")
        assert png.size == (size, size)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux desktop integration")
def test_install_script_installs_and_uninstalls(tmp_path):
    bundle = tmp_path / "bundle"
    (bundle / "_internal" / "resources").mkdir(parents=True)
    shutil.copytree(ROOT / "resources" / "icons", bundle / "_internal" / "resources" / "icons")
    exe = bundle / "chokepoint"
    exe.write_text("#!/bin/sh\n", encoding="utf-8")
    exe.chmod(0o755)
    prefix = tmp_path / "prefix"
    env = {k: v for k, v in os.environ.items() if k != "XDG_DATA_DIRS"}
    env["HOME"] = str(tmp_path / "home")
    script = PACKAGING / "install-linux.sh"

    proc = subprocess.run(["bash", str(script), "--prefix", str(prefix), str(bundle)], env=env,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    share = prefix / "share"
    assert (prefix / "bin" / "chokepoint").resolve() == exe.resolve()
    assert (share / "icons/hicolor/256x256/apps/chokepoint.png").exists()
    assert (share / "icons/hicolor/scalable/apps/chokepoint.svg").exists()
    installed = share / "applications" / "chokepoint.desktop"
    assert desktop_entry(installed)["Exec"] == f'"{prefix}/bin/chokepoint" %f'
    if shutil.which("desktop-file-validate"):
        assert subprocess.run(["desktop-file-validate", str(installed)]).returncode == 0
    if shutil.which("update-mime-database"):
        globs = (share / "mime" / "globs2").read_text(encoding="utf-8")
        assert f"{MIME_TYPE}:*.chokepoint.json" in globs

    proc = subprocess.run(["bash", str(script), "--prefix", str(prefix), "--uninstall"], env=env,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert not installed.exists() and not (prefix / "bin" / "chokepoint").exists()
