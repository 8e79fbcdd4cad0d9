"""How exports reach the disk: never over the project being exported, atomically (a failed
export keeps the old file), with the user's default permissions, valid XML whatever the user
typed, and through a symlink to its target."""

from __future__ import annotations

import errno
import json
import os
import stat
import xml.etree.ElementTree as ET

import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pptx")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from core.project import load_project
from tests.test_charts_export import EXAMPLE, cli

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX permissions and symlinks")


@pytest.fixture
def project_copy(tmp_path):
    p = tmp_path / "plan.json"
    p.write_bytes(EXAMPLE.read_bytes())
    return p


def _refused(capsys, project, before, *args):
    from app.export.cli import main

    assert main([str(project), *args]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and "--out" in lines[0] and "project being exported" in lines[0]
    assert project.read_bytes() == before


def test_out_equal_to_the_project_is_refused(project_copy, tmp_path, capsys):
    before = project_copy.read_bytes()
    (tmp_path / "sub").mkdir()
    for spelling in (str(project_copy), str(tmp_path / "." / "plan.json"),
                     str(tmp_path / "sub" / ".." / "plan.json")):
        _refused(capsys, project_copy, before, "--chart", "cost", "--format", "png", "--out",
                 spelling)
    _refused(capsys, project_copy, before, "--chart", "all", "--format", "pptx", "--out",
             str(project_copy))


@posix_only
def test_out_linked_to_the_project_is_refused(project_copy, tmp_path, capsys):
    before = project_copy.read_bytes()
    link = tmp_path / "chart.png"
    link.symlink_to(project_copy)
    _refused(capsys, project_copy, before, "--chart", "cost", "--format", "png", "--out",
             str(link))
    hard = tmp_path / "hard.svg"
    os.link(project_copy, hard)
    _refused(capsys, project_copy, before, "--chart", "cost", "--format", "svg", "--out",
             str(hard))


def test_control_characters_in_the_marking_give_valid_svg_and_pptx(tmp_path):
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    data["marking"] = "SECRET\x01\x07\x1b[31m\x0c END"
    project = tmp_path / "ctl.json"
    project.write_text(json.dumps(data), encoding="utf-8")
    r = cli(str(project), "--chart", "cost", "--format", "svg", "--out", str(tmp_path / "c.svg"))
    assert r.returncode == 0, r.stderr
    root = ET.parse(tmp_path / "c.svg").getroot()  # raised "not well-formed" before the fix
    texts = "".join(root.itertext())
    assert "SECRET[31m END" in texts
    r = cli(str(project), "--chart", "cost", "--format", "pptx", "--out", str(tmp_path / "c.pptx"))
    assert r.returncode == 0, r.stderr  # was an internal error (lxml refuses control characters)
    from pptx import Presentation

    slide_text = [shape.text_frame.text for slide in Presentation(str(tmp_path / "c.pptx")).slides
                  for shape in slide.shapes if shape.has_text_frame]
    assert "SECRET[31m END" in slide_text


def test_xml_safe_drops_raw_and_referenced_control_characters():
    from app.export.render import xml_safe

    assert xml_safe("a\x00b\x1fc\td\ne\rf") == "abc\td\ne\rf"
    assert xml_safe("x&#1;y&#x1B;z&#10;&#x41;&#xFFFE;") == "xyz&#10;&#x41;"
    assert xml_safe("Plan ü 😀") == "Plan ü 😀"


# ---- in-process: the writer under failure ---------------------------------------------------


@pytest.fixture(scope="module")
def charts():
    from core.chart_data import chart_set

    return chart_set(load_project(EXAMPLE), 0)


def _disk_full(*args, **kwargs):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf", "pptx"])
def test_failed_export_keeps_the_existing_file(charts, tmp_path, monkeypatch, fmt):
    from app.export.pptx import export_deck
    from app.export.render import export_chart
    from core.errors import InputError

    out = tmp_path / f"briefing.{fmt}"
    out.write_bytes(b"yesterday's export")

    def export():
        if fmt == "pptx":
            return export_deck(charts, out, ["cost"])
        return export_chart("cost", charts, fmt, out)

    monkeypatch.setattr(os, "fsync", _disk_full)
    with pytest.raises(InputError) as e:
        export()
    monkeypatch.undo()
    message = str(e.value)
    assert message.startswith("--out: cannot write") and "\n" not in message
    assert "No space left on device" in message and "left unchanged" in message
    assert out.read_bytes() == b"yesterday's export"
    assert [p.name for p in tmp_path.iterdir()] == [out.name]  # no temp file left either
    assert export() == out  # and with room on the disk it is written
    assert out.read_bytes() != b"yesterday's export" and out.stat().st_size > 1000


@posix_only
def test_exports_get_default_permissions_and_follow_links(charts, tmp_path):
    from app.export.render import export_chart

    target = tmp_path / "real.svg"
    link = tmp_path / "link.svg"
    link.symlink_to(target)
    old = os.umask(0o027)
    try:
        export_chart("cost", charts, "png", tmp_path / "c.png")
        export_chart("cost", charts, "svg", link)
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(tmp_path / "c.png").st_mode) == 0o640  # not 0600
    assert link.is_symlink() and ET.parse(target).getroot().tag.endswith("svg")
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o640
