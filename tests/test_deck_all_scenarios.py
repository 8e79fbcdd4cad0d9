"""`chokepoint export --format pptx --all-scenarios`: the per-scenario charts of every scenario of
a project in one deck; the project-wide charts once."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pptx")

from tests.test_charts_export import EXAMPLE, cli


def _slides(path):
    from pptx import Presentation

    return [{s.name: s for s in slide.shapes} for slide in Presentation(str(path)).slides]


def test_one_deck_holds_every_scenario(tmp_path):
    from core.project import load_project

    names = [s.name for s in load_project(EXAMPLE).scenarios]
    out = tmp_path / "deck.pptx"
    r = cli(str(EXAMPLE), "--chart", "memory", "--format", "pptx", "--out", str(out),
            "--all-scenarios")
    assert r.returncode == 0, r.stderr
    slides = _slides(out)
    assert len(slides) == 1 + len(names)  # summary, then memory for each scenario
    assert [s["Subtitle"].text_frame.text for s in slides[1:]] == [f"Scenario: {n}" for n in names]
    assert all("Chart memory" in s for s in slides[1:])
    # a project-wide chart is not repeated per scenario
    out2 = tmp_path / "two.pptx"
    r = cli(str(EXAMPLE), "--chart", "cost", "--format", "pptx", "--out", str(out2),
            "--all-scenarios")
    assert r.returncode == 0, r.stderr
    assert len(_slides(out2)) == 2


def test_without_the_flag_the_deck_is_as_before(tmp_path):
    out = tmp_path / "deck.pptx"
    r = cli(str(EXAMPLE), "--chart", "memory", "--format", "pptx", "--out", str(out),
            "--scenario", "3")
    assert r.returncode == 0, r.stderr
    slides = _slides(out)
    assert len(slides) == 2 and slides[1]["Subtitle"].text_frame.text.startswith("Scenario: 3 ")


@pytest.mark.parametrize("extra", [["--format", "png"], ["--format", "pptx", "--scenario", "2"]])
def test_all_scenarios_refused_with_one_line(tmp_path, extra):
    r = cli(str(EXAMPLE), "--chart", "memory", "--out", str(tmp_path / "x.pptx"),
            "--all-scenarios", *extra)
    lines = r.stderr.strip().splitlines()
    assert r.returncode == 2 and len(lines) == 1 and "--all-scenarios" in lines[0]
