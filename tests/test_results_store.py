"""The window's result store without a window: results are keyed on the scenario and the project
regimes it reads, so a regime edit can never leave a stale verdict; the store stays bounded."""

from __future__ import annotations

import pytest

from app.results_store import ResultsStore
from core.chart_data import chart_set
from core.project import load_project
from core.regimes import copy_regime, edit_rule
from core.resources import resource
from core.scenario_eval import evaluate_scenario, result_key, result_keys


@pytest.fixture(scope="module")
def twins():
    """The example with its H20 scenario on a project copy of the rules in force, and a duplicate
    of that scenario; plus the same project after R9 (the H20 licences) became a prohibition."""
    project = load_project(resource("examples", "southeast-asia-route.json"))
    h20 = next(i for i, s in enumerate(project.scenarios) if s.fleet[0].accelerator == "H20")
    project, rid = copy_regime(project, "in-force", "No H20 licences")
    scenarios = list(project.scenarios)
    own = scenarios[h20].model_copy(update={"policy": scenarios[h20].policy.model_copy(
        update={"regime": rid})})
    scenarios[h20] = own
    scenarios.insert(h20 + 1, own.model_copy(update={"name": f"{own.name} (copy)"}))
    before = project.model_copy(update={"scenarios": scenarios})
    after = edit_rule(before, rid, "R9", outcome="prohibited")
    return before, after, h20


def test_key_covers_scenario_and_regimes(twins):
    before, after, h20 = twins
    s = before.scenarios[h20]
    assert result_key(s, before) == result_key(s.model_copy(), before.model_copy())
    assert result_key(s, before) != result_key(s, after), "a regime edit changes the key"
    assert result_key(s, before) != result_key(s.model_copy(update={"name": "x"}), before)
    assert result_keys(before) == [result_key(x, before) for x in before.scenarios]
    assert result_key(s, None) == result_key(s, before.model_copy(update={"regimes": []}))
    memo: dict = {}  # the store's shortcut after an edit gives the same keys as from scratch
    assert result_keys(before, memo) == result_keys(before)
    assert result_keys(after, memo) == result_keys(after) != result_keys(before)
    renamed = after.model_copy(update={"scenarios": [
        x.model_copy(update={"name": "renamed"}) if i == 0 else x
        for i, x in enumerate(after.scenarios)]})
    assert result_keys(renamed, memo) == result_keys(renamed)
    assert result_keys(renamed, memo)[1:] == result_keys(after)[1:]


def test_hit_miss_and_invalidation_on_regime_edit(twins):
    before, after, h20 = twins
    store = ResultsStore()
    old = [evaluate_scenario(s, before) for s in before.scenarios]
    for s, r in zip(before.scenarios, old, strict=True):
        store.put(s, before, r)
    assert store.next_missing(before) is None
    assert store.result(before, h20 + 1) is old[h20 + 1]  # hit
    assert old[h20 + 1].verdict == "needs_license"
    # the regime both twins use was edited: neither may show its old verdict
    assert store.result(after, h20) is None and store.result(after, h20 + 1) is None
    assert store.next_missing(after) is not None
    assert not any(r is old[h20 + 1] for r in store.known(after).values())
    # a job started before the edit reports late: stored under its own key, shown nowhere now
    late = store.put(before.scenarios[h20 + 1], before, old[h20 + 1])
    assert store.rows(after, late) == []
    assert store.rows(before, late) == [h20 + 1]
    fresh = evaluate_scenario(after.scenarios[h20 + 1], after)
    assert fresh.verdict == "infeasible"
    key = store.put(after.scenarios[h20 + 1], after, fresh)
    assert store.rows(after, key) == [h20 + 1]
    assert store.result(after, h20 + 1) is fresh
    # undo: the project before the edit brings its results back
    assert store.result(before, h20 + 1) is old[h20 + 1]


def test_errors_are_outcomes_and_not_rescheduled(twins):
    before, _after, _h20 = twins
    store = ResultsStore()
    store.put(before.scenarios[0], before, "fleet: the scenario has no pools")
    assert store.outcome(before, 0) == "fleet: the scenario has no pools"
    assert store.result(before, 0) is None
    assert store.next_missing(before) == 1
    assert store.known(before) == {}


def test_bounded_but_keeps_every_scenario_on_screen(twins):
    before, after, _h20 = twins
    store = ResultsStore(limit=3)
    results = [evaluate_scenario(s, before) for s in before.scenarios]
    store.put_all(before, results)
    n = len(before.scenarios)
    assert n > 3
    assert len(store) == n, "the project on screen keeps all its results (else the background " \
                            "worker would evaluate forever)"
    assert store.next_missing(before) is None
    for name in "abcdefgh":  # other projects' results push the oldest unused ones out
        other = before.model_copy(update={"name": name})
        store.put(before.scenarios[0].model_copy(update={"name": name}), other, results[0])
    assert len(store) == n
    assert store.next_missing(before) is None
    small = after.model_copy(update={"scenarios": after.scenarios[:1]})
    store.next_missing(small)  # the screen moves on: the old project's results may go
    for name in "ijklmnop":
        store.put(after.scenarios[0].model_copy(update={"name": name}), after, results[0])
    assert len(store) == 3
    assert store.result(small, 0) is None and store.next_missing(small) == 0


def test_chart_set_never_takes_a_stale_known_result(twins):
    before, after, h20 = twins
    store = ResultsStore()
    store.put_all(before, [evaluate_scenario(s, before) for s in before.scenarios])
    stale = store.known(before)
    charts = chart_set(after, h20, stale)  # results of the wrong project are not taken
    assert [r.verdict for r in charts.results] == [
        evaluate_scenario(s, after).verdict for s in after.scenarios]
    assert charts.comparison[h20 + 1].verdict == "infeasible"
    reused = chart_set(before, h20, stale)
    assert all(a is b for a, b in zip(reused.results, stale.values(), strict=True))


def test_evaluation_reads_nothing_of_the_project_but_what_the_key_covers(twins):
    """If evaluate_scenario starts reading another project field, result_key must cover it."""
    before, _after, h20 = twins

    class Recorder:
        def __init__(self, project):
            self.project, self.read = project, set()

        def __getattr__(self, name):
            self.read.add(name)
            return getattr(self.project, name)

    for s in (before.scenarios[0], before.scenarios[h20]):
        spy = Recorder(before)
        assert evaluate_scenario(s, spy) == evaluate_scenario(s, before)
        assert spy.read == {"regimes"}
