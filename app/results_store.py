"""The window's evaluation results and what to evaluate next, as a plain object (no Qt, tested
without a window).

Every outcome (a ``ScenarioResult``, or the one-line message of a failed evaluation) is stored
under ``core.scenario_eval.result_key``: a digest of the scenario *and* of the project parts the
evaluation reads. Editing a regime therefore changes the key of every scenario that may depend on
it, and the old result can no longer be shown, charted or exported for it; undo brings the old
key, and its result, back.

The store follows the project on screen (every method takes it; keys are recomputed only when a
new project value arrives). It keeps at most ``max(limit, scenarios in that project)`` outcomes,
dropping the least recently used ones that the project on screen does not need.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

from core.scenario import Scenario
from core.scenario_eval import ScenarioResult, result_key, result_keys

Outcome = ScenarioResult | str  # a result, or why the scenario cannot be evaluated

LIMIT = 128


class ResultsStore:
    def __init__(self, limit: int = LIMIT) -> None:
        self.limit = limit
        self._outcomes: OrderedDict[str, Outcome] = OrderedDict()
        self._project: Any = None
        self._keys: list[str] = []
        self._memo: dict = {}  # unchanged scenarios are not re-serialised after an edit

    def __len__(self) -> int:
        return len(self._outcomes)

    def _follow(self, project: Any) -> list[str]:
        if project is not self._project:
            self._project, self._keys = project, result_keys(project, self._memo)
            for key in self._keys:  # the project on screen is the most recently used
                if key in self._outcomes:
                    self._outcomes.move_to_end(key)
        return self._keys

    def key(self, project: Any, index: int) -> str:
        return self._follow(project)[index]

    def outcome(self, project: Any, index: int) -> Outcome | None:
        return self._outcomes.get(self.key(project, index))

    def result(self, project: Any, index: int) -> ScenarioResult | None:
        found = self.outcome(project, index)
        return found if isinstance(found, ScenarioResult) else None

    def put(self, scenario: Scenario, project: Any, outcome: Outcome) -> str:
        """Store the outcome of evaluating ``scenario`` within ``project`` (the project the job
        was given, which may be older than the one on screen); returns its key."""
        key = self._key_of(scenario, project)
        self._outcomes[key] = outcome
        self._outcomes.move_to_end(key)
        self._evict()
        return key

    def _key_of(self, scenario: Scenario, project: Any) -> str:
        if project is self._project:  # the usual case: no need to serialise anything again
            for s, key in zip(project.scenarios, self._keys, strict=True):
                if s is scenario:
                    return key
        return result_key(scenario, project)

    def rows(self, project: Any, key: str) -> list[int]:
        """The scenarios of ``project`` whose outcome is stored under ``key``."""
        return [i for i, k in enumerate(self._follow(project)) if k == key]

    def put_all(self, project: Any, results: Sequence[ScenarioResult]) -> None:
        """Results of every scenario of ``project``, in order (a chart job computes them)."""
        for key, result in zip(self._follow(project), results, strict=True):
            self._outcomes.setdefault(key, result)
            self._outcomes.move_to_end(key)
        self._evict()

    def _evict(self) -> None:
        live = set(self._keys)
        excess = len(self._outcomes) - max(self.limit, len(live))
        for key in [k for k in self._outcomes if k not in live][:max(excess, 0)]:
            del self._outcomes[key]

    def known(self, project: Any) -> dict[str, ScenarioResult]:
        """The project's results by key, for a chart job (a copy: the job runs in a thread)."""
        return {k: r for k in self._follow(project)
                if isinstance(r := self._outcomes.get(k), ScenarioResult)}

    def next_missing(self, project: Any) -> int | None:
        """The first scenario with no outcome yet: the background evaluates it next."""
        return next((i for i, k in enumerate(self._follow(project)) if k not in self._outcomes),
                    None)
