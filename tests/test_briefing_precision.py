"""The assumptions line states each scenario's own precision: an FP8 scenario on a chip without
FP8 (Ascend 910C) trains in BF16 and must not be briefed as FP8."""

from __future__ import annotations

import pytest

from core.briefing import assumptions_line, precision_used, project_assumptions_line
from core.project import load_project
from core.resources import resource
from core.scenario_eval import evaluate_scenario

EXAMPLE = resource("examples") / "southeast-asia-route.json"


def _project(precisions: dict[str, str]):
    """The example project, keeping the H100 lease and the Ascend scenario, each at a precision."""
    project = load_project(EXAMPLE)
    keep = []
    for s in project.scenarios:
        chip = s.fleet[0].accelerator
        if chip in precisions and chip not in [k.fleet[0].accelerator for k in keep]:
            training = s.training.model_copy(update={"precision": precisions[chip]})
            keep.append(s.model_copy(update={"training": training}))
    assert [s.fleet[0].accelerator for s in keep] == list(precisions)
    project = project.model_copy(update={"scenarios": keep})
    return project, [evaluate_scenario(s, project) for s in project.scenarios]


def test_fp8_on_a_chip_without_fp8_is_briefed_as_bf16():
    project, results = _project({"H100-SXM": "fp8", "Ascend-910C": "fp8"})
    h100, ascend = project.scenarios
    assert precision_used(h100, results[0]) == "FP8"
    assert precision_used(ascend, results[1]) == "BF16 (FP8 requested; Ascend-910C has no FP8)"
    line = assumptions_line(ascend, results[1])
    assert "sequence 4,096, BF16 (FP8 requested" in line
    assert ", FP8." not in line and ", FP8," not in line
    assert ", FP8." in assumptions_line(h100, results[0])
    project_line = project_assumptions_line(project.scenarios, results)
    assert f"Precision: {h100.name}: FP8; {ascend.name}: BF16 (FP8 requested" in project_line


def test_one_precision_is_said_once():
    project, results = _project({"H100-SXM": "bf16", "Ascend-910C": "bf16"})
    line = project_assumptions_line(project.scenarios, results)
    assert "Precision: BF16 in every scenario." in line
    assert "FP8" not in line


def test_deck_states_each_scenarios_precision(tmp_path):
    pytest.importorskip("PySide6")
    pytest.importorskip("pptx")
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from pptx import Presentation

    from app.export.pptx import export_deck
    from app.gui import make_application
    from core.chart_data import chart_set

    make_application()
    project, results = _project({"H100-SXM": "fp8", "Ascend-910C": "fp8"})
    from core.scenario_eval import result_keys

    known = dict(zip(result_keys(project), results, strict=True))
    deck = export_deck(chart_set(project, 1, known, answers=False), tmp_path / "d.pptx",
                       names=["memory", "comparison"])
    slides = [{sh.name: sh for sh in slide.shapes} for slide in Presentation(str(deck)).slides]
    # summary, memory, comparison, and the scenarios compared input by input
    assert len(slides) == 4 and "Comparison of scenarios" in slides[3]
    summary = slides[0]["Footnote"].text_frame.text
    assert f"{project.scenarios[0].name}: FP8" in summary
    assert f"{project.scenarios[1].name}: BF16 (FP8 requested; Ascend-910C has no FP8)" in summary
    memory = slides[1]["Footnote"].text_frame.text  # per-scenario slide of the Ascend scenario
    assert "Ascend-910C" in memory and "BF16 (FP8 requested" in memory
