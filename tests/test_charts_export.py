"""Exports opened and checked: PNG size and content, SVG as XML with its axis labels, PDF pages,
the PPTX deck's slides, titles, footnotes and marking, and the export CLI's exit codes."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pptx")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from core.briefing import CHARTS
from core.resources import resource

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = resource("examples") / "southeast-asia-route.json"
MARK = "OFFICIAL-SENSITIVE"
AXIS_LABELS = {"time-vs-count": ["Number of accelerators", "Days to train"],
               "cost": ["Cost, USD millions"], "comparison": ["Days to train", "Cost, USD millions"],
               "memory": ["GB per accelerator"], "step-time": ["Seconds per optimizer step"],
               "policy-timeline": ["Date (year)"],
               "policy-impact": ["Days to train", "Cost, USD millions"],
               "tornado": ["Days to train", "Cost, USD millions"],
               "pareto": ["Days to train", "Cost, USD millions"]}


def cli(*args: str, env=None) -> subprocess.CompletedProcess:
    e = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run([sys.executable, "-m", "app.main", "export", *args], cwd=ROOT,
                          capture_output=True, text=True, env=e, timeout=180)


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """Every chart in every format, plus a deck, through the real command (one process each)."""
    out = tmp_path_factory.mktemp("exports")
    for fmt in ("png", "svg", "pdf"):
        r = cli(str(EXAMPLE), "--chart", "all", "--format", fmt, "--out", str(out / fmt),
                "--marking", MARK, "--scenario", "2")
        assert r.returncode == 0, r.stderr
    r = cli(str(EXAMPLE), "--chart", "all", "--format", "pptx", "--out", str(out / "deck.pptx"),
            "--marking", MARK, "--scenario", "2")
    assert r.returncode == 0, r.stderr
    return out


def _image(path):
    from PySide6.QtGui import QImage

    img = QImage(str(path))
    assert not img.isNull(), path
    return img


def _non_blank(img) -> None:
    """Opaque, mostly white, with a real amount of dark ink and some colour."""
    assert not img.hasAlphaChannel()
    w, h = img.width(), img.height()
    dark = colour = 0
    step = max(1, w // 240)
    for y in range(0, h, step):
        for x in range(0, w, step):
            c = img.pixelColor(x, y)
            if c.lightness() < 80:
                dark += 1
            if c.saturation() > 80 and c.value() > 60:
                colour += 1
    total = (w // step) * (h // step)
    assert 0.002 < dark / total < 0.3
    assert colour / total > 0.002
    assert img.pixelColor(2, 2).name() == "#ffffff"  # white briefing background


@pytest.mark.parametrize("name", list(CHARTS))
def test_png_1080p(exported, name):
    img = _image(exported / "png" / f"{name}.png")
    assert (img.width(), img.height()) == (1920, 1080)
    _non_blank(img)


@pytest.mark.parametrize("name", list(CHARTS))
def test_svg_parses_and_has_axis_labels(exported, name):
    text = (exported / "svg" / f"{name}.svg").read_text(encoding="utf-8")
    root = ET.fromstring(text)
    assert root.tag.endswith("svg") and root.get("viewBox") == "0 0 1280 720"
    words = " ".join(t.strip() for t in root.itertext())
    for label in AXIS_LABELS[name] + [MARK]:
        assert label in words, label


@pytest.mark.parametrize("name", list(CHARTS))
def test_pdf_has_one_page(exported, name):
    data = (exported / "pdf" / f"{name}.pdf").read_bytes()
    assert data.startswith(b"%PDF")
    assert data.count(b"/Type /Page\n") + data.count(b"/Type /Page ") + data.count(b"/Type/Page") >= 1
    assert b"/Count 1" in data


def test_pptx_deck(exported):
    from pptx import Presentation
    from pptx.util import Inches

    from core.briefing import assumptions_line
    from core.chart_data import chart_set
    from core.project import load_project

    prs = Presentation(str(exported / "deck.pptx"))
    assert prs.slide_width == Inches(13.333) and prs.slide_height == Inches(7.5)
    slides = list(prs.slides)
    # every chart, the comparison chart followed by the scenarios compared input by input and
    # the policy-impact chart by the best route under every regime (tests/test_deck_answers.py)
    order = []
    for name, title in CHARTS.items():
        order.append((name, title))
        if name == "comparison":
            order.append((None, "What differs, and what it did"))
        if name == "policy-impact":
            order.append((None, "Best route under each regime"))
            # the solver slide, since the scenario drawn has a deadline (all the example's do)
            order.append((None, "What would it take"))
    assert len(slides) == 1 + len(order)
    shapes = [{s.name: s for s in slide.shapes} for slide in slides]
    titles = [sh["Title"].text_frame.text for sh in shapes]
    assert titles == ["Summary: scenario comparison", *(t for _n, t in order)]
    charts = chart_set(load_project(EXAMPLE), 1)
    table = shapes[0]["Comparison table"].table
    assert len(table.rows) == 1 + len(charts.scenarios)
    # the blocked scenario says so on its option and figures, and its verdict stands unqualified
    assert table.cell(2, 2).text.endswith("(blocked): figures if it were allowed")
    assert table.cell(2, 1).text == "Infeasible"
    # energy: the facility figure (the one the cost prices), as the CLI and the window give it
    assert table.cell(0, 6).text == "Facility MWh"
    for r, row in enumerate(charts.comparison, start=1):
        assert row.energy_basis == "facility"
        assert table.cell(r, 6).text == f"{row.energy_mwh:,.0f}"
    per_scenario = assumptions_line(charts.scenario, charts.result)
    for i, sh in enumerate(shapes):
        assert sh["Marking top"].text_frame.text == MARK
        assert sh["Marking bottom"].text_frame.text == MARK
        if i == 0 or order[i - 1][0] is not None:  # the table slides explain their table
            assert sh["Footnote"].text_frame.text.startswith("Assumptions")
        assert "Source: Chokepoint" in sh["Source"].text_frame.text
        if i and order[i - 1][0] is not None:
            pic = sh[f"Chart {order[i - 1][0]}"]
            assert pic.image.content_type == "image/png" and pic.image.size[0] >= 1920
    at = {name: 1 + k for k, (name, _t) in enumerate(order) if name}
    assert shapes[at["memory"]]["Footnote"].text_frame.text == per_scenario
    assert f"{len(charts.scenarios)} scenarios" in shapes[at["cost"]]["Footnote"].text_frame.text


def test_4k_png_is_rendered_not_scaled(tmp_path):
    """4K is drawn at ratio 3: same layout as 1080p, lines as many device pixels thicker."""
    r = cli(str(EXAMPLE), "--chart", "memory", "--format", "png", "--out",
            str(tmp_path / "m.png"), "--size", "3840x2160")
    assert r.returncode == 0, r.stderr
    img = _image(tmp_path / "m.png")
    assert (img.width(), img.height()) == (3840, 2160)
    _non_blank(img)


@pytest.mark.parametrize("args, field", [
    (["--chart", "pie"], "--chart"),
    (["--chart", "cost", "--size", "100x100"], "--size"),
    (["--chart", "cost", "--size", "big"], "--size"),
    (["--chart", "cost", "--scenario", "nope"], "--scenario"),
    (["--chart", "all", "--format", "png", "--out", "FILE"], "--out"),
])
def test_cli_bad_input_exits_2_with_one_line(tmp_path, args, field):
    out = tmp_path / "x.png"
    out.write_bytes(b"")
    full = [str(EXAMPLE), "--format", "png", "--out", str(out), *args]
    if "FILE" in full:
        full[full.index("FILE")] = str(out)
    r = cli(*full)
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and field in lines[0] and "Traceback" not in r.stderr


def test_cli_bad_project_and_format(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"schema_version": 1, "name": "x", "scenarios": []}')
    r = cli(str(bad), "--chart", "cost", "--format", "png", "--out", str(tmp_path / "a.png"))
    assert r.returncode == 2 and "scenarios" in r.stderr and len(r.stderr.splitlines()) == 1
    r = cli(str(EXAMPLE), "--chart", "cost", "--format", "gif", "--out", str(tmp_path / "a.gif"))
    assert r.returncode == 2 and "--format" in r.stderr and "Traceback" not in r.stderr
    r = cli(str(tmp_path / "missing.json"), "--chart", "cost", "--format", "png", "--out",
            str(tmp_path / "a.png"))
    assert r.returncode == 2 and "missing.json" in r.stderr and len(r.stderr.splitlines()) == 1


def test_other_subcommands_still_go_to_the_core_cli():
    from app.main import main

    assert main(["catalog", "accelerators"]) == 0
