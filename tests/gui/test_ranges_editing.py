"""The window edits what the P10–P90 ranges depend on: the software-maturity setting and the
uncertain token / active-parameter ranges. Each edit changes the estimate or its range, and undo
restores the exact figures."""

from __future__ import annotations

import pytest

from tests.gui.conftest import type_into, wait_idle


def _figures(w):
    r = w.results.result
    band = r.uncertainty
    return r.best.wall_clock_days, band.wall_clock_days.p10, band.wall_clock_days.p90


def test_maturity_control_changes_estimate_and_range_and_undo_restores(qtbot, window):
    from core.maturity import load_maturity

    w = window
    combo = w.model_editor.maturity
    assert w.scenario.physics.maturity == "typical"
    assert combo.currentData() == "typical"
    settings = load_maturity()["settings"]
    assert [combo.itemData(i) for i in range(combo.count())] == list(settings)
    # each setting's tooltip says what it means: its central value and spread per chip family
    for i in range(combo.count()):
        name = combo.itemData(i)
        text = combo.itemData(i, 3)  # Qt.ToolTipRole
        hopper = settings[name]["families"]["hopper"]
        assert f"× {hopper['factor']:.2f}" in text and f"×{hopper['gsd']:.2f}" in text, name
        assert "P10–P90" in text
    before = _figures(w)
    assert before[1] < before[0] < before[2]
    i = combo.findData("legacy")
    combo.setCurrentIndex(i)
    combo.activated.emit(i)
    wait_idle(qtbot, w)
    assert w.scenario.physics.maturity == "legacy"
    after = _figures(w)
    factor = settings["legacy"]["families"]["hopper"]["factor"]  # the example trains on H100s
    assert after[0] > before[0] * 1.15  # a pre-2023 stack is slower (factor < 1 on efficiency)
    assert after[1] > before[1] and after[2] > before[2]  # the range moves with it
    assert factor < 1
    assert "maturity" in w.document.undo_stack.undoText().lower()
    w.document.undo_stack.undo()
    wait_idle(qtbot, w)
    assert w.scenario.physics.maturity == "typical"
    assert combo.currentData() == "typical"
    assert _figures(w) == pytest.approx(before, rel=1e-12)
    w.document.undo_stack.redo()
    wait_idle(qtbot, w)
    assert combo.currentData() == "legacy" and _figures(w) == pytest.approx(after, rel=1e-12)


def test_active_params_range_is_one_edit_widens_the_range_and_undoes(qtbot, window):
    from core.units import human

    w = window
    ed = w.model_editor
    low = ed.field_at(("model", "active_params_low"))
    high = ed.field_at(("model", "active_params_high"))
    assert low is not None and high is not None and low.text() == high.text() == ""
    before = _figures(w)
    steps = w.document.undo_stack.count()
    n = w.scenario.model.active_params()
    type_into(qtbot, low, human(n / 2, 3))
    qtbot.wait(50)
    assert low.error and "both" in low.error  # a lone low end is refused on the field
    assert w.scenario.model.active_params_low is None
    type_into(qtbot, high, human(n * 2, 3))
    wait_idle(qtbot, w)
    assert not low.error and not high.error
    assert w.scenario.model.active_params_range == pytest.approx((n / 2, n * 2), rel=0.01)
    after = _figures(w)
    assert after[0] == pytest.approx(before[0])  # the point estimate keeps the architecture's
    assert after[2] / after[1] > before[2] / before[1] * 1.1  # the range widens
    assert w.document.undo_stack.count() == steps + 1  # keystrokes of the pair: one step
    w.document.undo_stack.undo()
    wait_idle(qtbot, w)
    assert w.scenario.model.active_params_range is None
    assert low.text() == high.text() == ""
    assert _figures(w) == pytest.approx(before, rel=1e-12)


def test_results_tooltip_says_what_the_range_varies(qtbot, window):
    w = window
    text = w.results.figures["days"].toolTip()
    assert "software efficiency" in text and "treated as certain" in text
    assert "lease price" in text  # the example's first scenario leases at catalog quotes


def test_token_range_is_dropped_when_a_preset_moves_tokens_outside_it(qtbot, window):
    from core.scenario import Scenario

    w = window
    ed = w.model_editor
    t = w.scenario.training.tokens
    type_into(qtbot, ed.field_at(("training", "tokens_low")), f"{t * 0.8 / 1e12:g}T")
    type_into(qtbot, ed.field_at(("training", "tokens_high")), f"{t * 1.25 / 1e12:g}T")
    wait_idle(qtbot, w)
    assert w.scenario.training.tokens_low == pytest.approx(t * 0.8)
    presets = ed._presets
    pid = next(k for k, p in presets.items()
               if p.default_tokens and not t * 0.8 <= p.default_tokens <= t * 1.25)
    i = ed.preset_combo.findData(pid)
    ed.preset_combo.setCurrentIndex(i)
    ed.preset_combo.activated.emit(i)
    wait_idle(qtbot, w)
    s = w.scenario
    assert s.training.tokens == presets[pid].default_tokens
    assert s.training.tokens_low is None and s.training.tokens_high is None
    Scenario.model_validate(s.model_dump())  # still a scenario the loader accepts
