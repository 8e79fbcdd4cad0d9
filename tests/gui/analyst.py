"""An analyst's session with the main window, driven step by step from a seeded random sequence
(a failure names its seed and step, and the same seed replays it): switch scenario, change the
software maturity or the end user, type a count, a token count or an uncertain range, run a
sweep (and switch scenario while it computes), open the solver dialog and answer it, open the
comparison, undo and redo, flip chart tabs, export a chart or a deck, make an invalid edit and
correct it, let the autosave tick.

After every step ``check()`` holds the window to what it promises:

* no Python exception escaped: not to ``sys.excepthook`` (a slot or a Qt virtual), not to
  ``threading.excepthook``, and not caught and printed by a worker (``app.evaluator`` and
  ``app.autosave`` turn a bug into a one-line message; that is recorded here as an exception);
* the result on screen is the core's evaluation of the current scenario of the current project
  (no stale verdict): equal to ``evaluate_scenario``, the banner in its words, the list's entry
  too, and drawn charts and the Sweep tab are of that scenario;
* the editors show the exact inputs of the current scenario (maturity, end user, tokens, ranges);
* undo and redo restore exactly the project seen at that point of the undo stack;
* no dialog is left open, and closed ones are gone (no dialog kept alive).

Used by ``tests/gui/test_session.py`` (a short session in the normal suite) and by
``benchmarks/soak_window.py --steps N`` (a long one, with its memory measured).
"""

from __future__ import annotations

import contextlib
import random
import sys
import threading
import traceback
from collections import Counter
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog

from tests.gui.driving import click_scenario, type_into, wait_idle

# relative frequency of each step: an analyst mostly switches, edits and looks at charts
STEPS = {
    "switch": 6, "maturity": 3, "end_user": 3, "edit": 4, "range": 2, "sweep": 3,
    "sweep_then_switch": 2, "bad_sweep": 1, "solver": 2, "compare": 2, "undo_redo": 4,
    "tab": 5, "export": 2, "invalid": 2, "autosave": 2, "deck_all": 0.3,
}
CHART_TABS_SEEN = ("sweep", "policy-impact", "tornado", "pareto")


def erase(bot, field) -> None:
    """Select all and press Backspace: the field emptied as a person empties it."""
    field.setFocus()
    field.selectAll()
    bot.keyClick(field, Qt.Key.Key_Backspace)


class StepFailed(AssertionError):
    pass


@contextlib.contextmanager
def watch_exceptions():
    """Collect every exception that escapes to Python's hooks or that a worker catches and
    prints (``traceback.print_exc`` in app.evaluator/app.autosave); yields the list."""
    import app.autosave
    import app.evaluator

    seen: list[str] = []
    old_hook, old_thread_hook = sys.excepthook, threading.excepthook

    def hook(kind, value, tb):
        seen.append("".join(traceback.format_exception(kind, value, tb)))
        old_hook(kind, value, tb)

    def thread_hook(args):
        seen.append("".join(traceback.format_exception(args.exc_type, args.exc_value,
                                                       args.exc_traceback)))
        old_thread_hook(args)

    class _Printer:  # stands in for the ``traceback`` module the workers use
        def __getattr__(self, name):
            return getattr(traceback, name)

        def print_exc(self, *args, **kwargs):
            seen.append(traceback.format_exc())
            traceback.print_exc(*args, **kwargs)

    modules = (app.evaluator, app.autosave)
    sys.excepthook, threading.excepthook = hook, thread_hook
    for m in modules:
        m.traceback = _Printer()  # type: ignore[attr-defined]
    try:
        yield seen
    finally:
        sys.excepthook, threading.excepthook = old_hook, old_thread_hook
        for m in modules:
            m.traceback = traceback  # type: ignore[attr-defined]


class AnalystSession:
    """``run(steps)`` drives ``window`` through ``bot`` (qtbot or driving.QTestBot); chart and
    deck exports go to ``out_dir``. ``counts`` says what was done; ``exceptions`` what escaped."""

    def __init__(self, window, bot, seed: int, out_dir: Path, exceptions: list[str]):
        self.w, self.bot, self.seed = window, bot, seed
        self.rng = random.Random(seed)
        self.out = Path(out_dir)
        self.out.mkdir(parents=True, exist_ok=True)
        self.exceptions = exceptions
        self.counts: Counter[str] = Counter()
        self.step_no = 0
        self.kind = ""
        self.tabs_seen: set[str] = set()
        self._snapshots: dict[int, Any] = {}  # undo-stack index -> the project seen there
        self._remember(edit=True)

    # ---- the session ---------------------------------------------------------------------
    def run(self, steps: int, on_step=None) -> Counter[str]:
        kinds, weights = list(STEPS), list(STEPS.values())
        for _ in range(steps):
            self.step_no += 1
            self.kind = self.rng.choices(kinds, weights)[0]
            self._look()
            getattr(self, f"do_{self.kind}")()
            self.counts[self.kind] += 1
            self.check()
            if on_step is not None:
                on_step(self)
        return self.counts

    def fail(self, message: str) -> None:
        raise StepFailed(f"seed {self.seed}, step {self.step_no} ({self.kind}): {message}")

    def expect(self, ok: bool, message: str) -> None:
        if not ok:
            self.fail(message)

    def settle(self) -> None:
        """Until nothing is computing and the result shown is the current scenario's."""
        w = self.w
        wait_idle(self.bot, w, timeout=60000)
        sweep = w.results.charts.sweep_view
        self.bot.waitUntil(lambda: not (w.evaluator.busy or w.chart_worker.busy
                                        or w._charts_timer.isActive() or sweep.busy),
                           timeout=60000)
        self.bot.wait(5)

    def _look(self) -> None:
        """Where the results pane is scrolled: the verdict at the top, or the charts below it
        (charts are computed only while on screen, so both ways of working are exercised)."""
        bar = self.w.results.scroll.verticalScrollBar()
        bar.setValue(bar.minimum() if self.rng.random() < 0.5 else bar.maximum())

    @property
    def panel(self):
        return self.w.results.charts

    # ---- steps ---------------------------------------------------------------------------
    def do_switch(self) -> None:
        n = len(self.w.project.scenarios)
        row = self.rng.choice([i for i in range(n) if i != self.w.current])
        click_scenario(self.bot, self.w, row)
        self.expect(self.w.current == row, f"clicking row {row} showed {self.w.current}")
        self.settle()

    def _pick(self, combo, tab: int) -> None:
        """Choose another entry of ``combo`` the way a click in its popup does."""
        self.w.tabs.setCurrentIndex(tab)
        choices = [i for i in range(combo.count()) if i != combo.currentIndex()]
        i = self.rng.choice(choices)
        combo.setCurrentIndex(i)
        combo.activated.emit(i)

    def do_maturity(self) -> None:
        combo = self.w.model_editor.maturity
        self._pick(combo, 0)
        self.expect(self.w.scenario.physics.maturity == combo.currentData(),
                    "the maturity picked is not the scenario's")
        self._edited()

    def do_end_user(self) -> None:
        combo = self.w.policy_editor.end_user
        self._pick(combo, 2)
        self.expect(self.w.scenario.policy.end_user_type == combo.currentData(),
                    "the end user picked is not the scenario's")
        self._edited()

    def do_edit(self) -> None:
        w = self.w
        if self.rng.random() < 0.5:
            w.tabs.setCurrentIndex(1)
            field = w.fleet_editor.field_at(("fleet", 0, "count"))
            value = self.rng.choice([256, 512, 1024, 2048, 4096, 8192])
            type_into(self.bot, field, str(value))
            self.expect(w.scenario.fleet[0].count == value, f"typed count {value} not applied")
        else:
            w.tabs.setCurrentIndex(0)
            field = w.model_editor.field_at(("training", "tokens"))
            t = w.scenario.training
            value = self.rng.choice([10, 15, 20, 30, 36])
            if t.tokens_low is not None and not t.tokens_low <= value * 1e12 <= t.tokens_high:
                value = round(t.tokens_low / 1e12, 3)  # a token count outside its range is refused
            type_into(self.bot, field, f"{value}T")
            self.expect(w.scenario.training.tokens == value * 1e12,
                        f"typed {value}T not applied: {w.scenario.training.tokens}")
        self._edited()

    def do_range(self) -> None:
        """Mark the token count uncertain (low, then high), or clear the range."""
        w = self.w
        w.tabs.setCurrentIndex(0)
        low = w.model_editor.field_at(("training", "tokens_low"))
        high = w.model_editor.field_at(("training", "tokens_high"))
        tokens = w.scenario.training.tokens
        if w.scenario.training.tokens_low is not None and self.rng.random() < 0.4:
            erase(self.bot, low)
            erase(self.bot, high)
            self.expect(w.scenario.training.tokens_low is None, "the range was not cleared")
        else:
            lo = f"{tokens * self.rng.choice([0.5, 0.7, 0.9]) / 1e12:.4g}T"
            hi = f"{tokens * self.rng.choice([1.2, 2]) / 1e12:.4g}T"
            type_into(self.bot, low, lo)
            type_into(self.bot, high, hi)
            t = w.scenario.training
            self.expect((t.tokens_low, t.tokens_high) == (low.parse(lo), high.parse(hi)),
                        f"range {lo}-{hi} not applied: {t.tokens_low}-{t.tokens_high}")
        self._edited()

    def _charts_on_screen(self) -> None:
        """Scroll the results to the charts (they are computed once shown) and wait for them."""
        w = self.w
        w.results.scroll.ensureWidgetVisible(self.panel, 0, 0)
        w.results.scroll.verticalScrollBar().setValue(w.results.scroll.verticalScrollBar().maximum())
        self.bot.waitUntil(lambda: w._charts_shown == w._charts_key()
                           and not w.chart_worker.busy, timeout=60000)

    def _sweep_tab(self):
        self._charts_on_screen()
        self.panel.tabs.setCurrentIndex(list(self.panel.widgets).index("sweep"))
        self.tabs_seen.add("sweep")
        view = self.panel.sweep_view
        self.expect(view.charts is self.panel.charts, "the Sweep tab has other chart data")
        # new chart data redraws a sweep that was drawn (set_source): the person sees it come
        self.bot.waitUntil(lambda: not view.busy, timeout=60000)
        return view

    def _start_sweep(self):
        view = self._sweep_tab()
        i = self.rng.randrange(len(view.inputs))
        view.input.setCurrentIndex(i)  # prefills the range around the value in use
        view.points.setValue(self.rng.choice([3, 5, 8, 13]))
        self.bot.mouseClick(view.button, Qt.MouseButton.LeftButton)
        self.expect(view.busy and view.status.text().startswith("Sweeping"),
                    f"no sweep started: {view.status.text()!r}")
        return view, view.inputs[i]

    def do_sweep(self) -> None:
        from core.sensitivity import sweep_range

        w = self.w
        view, item = self._start_sweep()
        low, high, points = float(view.low.text()), float(view.high.text()), view.points.value()
        self.bot.waitUntil(lambda: not view.busy, timeout=60000)
        if view.sweep is None or view.sweep.input.key != item.key:
            self.fail(f"no sweep of {item.key} drawn: {view.status.text()}")
        expected = sweep_range(w.scenario, w.project, item, low, high, points)
        if view.sweep != expected:
            got = view.sweep.model_dump()
            want = expected.model_dump()
            diff = {k: (got[k], want[k]) for k in want if got[k] != want[k]}
            self.fail(f"the sweep drawn of {item.key} is not the core's: {diff}"[:3000])

    def do_sweep_then_switch(self) -> None:
        """Start a sweep and, while it computes, open another scenario."""
        self._start_sweep()
        self.do_switch()

    def do_bad_sweep(self) -> None:
        view = self._sweep_tab()
        before = view.sweep
        bad = self.rng.choice([("abc", "10", "low"), ("5", "nan", "high"), ("1", "inf", "high"),
                               ("", "10", "low")])
        view.low.setText(bad[0])
        view.high.setText(bad[1])
        self.bot.mouseClick(view.button, Qt.MouseButton.LeftButton)
        self.expect(not view.busy, f"a sweep started with the range {bad[:2]}")
        text = view.status.text()
        self.expect(text.startswith("Cannot sweep") and bad[2] in text,
                    f"range {bad[:2]}: {text!r} does not name {bad[2]!r}")
        self.expect(view.sweep is before, "a refused range changed the sweep drawn")
        view.input.setCurrentIndex(view.input.currentIndex())  # the person picks a range again
        view._prefill()

    def _dialogs(self, cls) -> list:
        return [d for d in self.w.findChildren(cls)]

    def do_solver(self) -> None:
        from app.solver_dialog import SolverDialog
        from core.solve import solve_scenario

        w = self.w
        self._menu("&What Would It Take…")
        dialogs = [d for d in self._dialogs(SolverDialog) if d.isVisible()]
        self.expect(len(dialogs) == 1, f"{len(dialogs)} solver dialogs open")
        d = dialogs[0]
        self.expect(d.scenario == w.scenario, "the solver dialog is of another scenario")
        if self.rng.random() < 0.25:  # closed before it answered
            d.close()
            return
        self.bot.waitUntil(lambda: d.answer is not None and not d.busy, timeout=60000)
        if self.rng.random() < 0.6:  # answer it: another deadline, a budget, P90
            d.days.setValue(self.rng.choice([60, 120, 240, 400]))
            d.confidence.setCurrentIndex(self.rng.randrange(d.confidence.count()))
            if self.rng.random() < 0.5:
                d.budget.setValue(self.rng.choice([0, 20, 100, 500]))
            asked = d.answer
            self.bot.mouseClick(d.solve_button, Qt.MouseButton.LeftButton)
            self.bot.waitUntil(lambda: d.answer is not asked and not d.busy, timeout=60000)
            expected = solve_scenario(w.scenario, w.project, **d.inputs())
            self.expect(d.answer == expected, "the solver dialog's answer is not the core's")
        d.close()

    def do_compare(self) -> None:
        from app.compare_dialog import CompareDialog

        self._menu("&Compare Scenarios…")
        dialogs = [d for d in self._dialogs(CompareDialog) if d.isVisible()]
        self.expect(len(dialogs) == 1, f"{len(dialogs)} compare dialogs open")
        d = dialogs[0]
        if self.rng.random() < 0.7:
            self.bot.waitUntil(lambda: d.comparison is not None and not d.busy, timeout=60000)
            names = [self.w.project.scenarios[i].name for i in d.picked()]
            shown = [d.table.horizontalHeaderItem(c).text()
                     for c in range(1, d.table.columnCount())]
            self.expect(shown == names, f"compare shows {shown}, picked {names}")
        d.close()

    def _menu(self, text: str) -> None:
        action = next(a for m in self.w.menuBar().actions() for a in m.menu().actions()
                      if a.text() == text)
        action.trigger()

    def do_undo_redo(self) -> None:
        w = self.w
        stack = w.document.undo_stack
        back = self.rng.randint(1, 3)
        for _ in range(back):
            if not w.undo_action.isEnabled():
                break
            w.undo_action.trigger()
            self._restored("undo")
        for _ in range(self.rng.randint(0, back)):
            if not w.redo_action.isEnabled():
                break
            w.redo_action.trigger()
            self._restored("redo")
        self.expect(w.undo_action.isEnabled() == stack.canUndo(), "Undo enabled wrongly")
        self.settle()

    def _restored(self, what: str) -> None:
        index = self.w.document.undo_stack.index()
        seen = self._snapshots.get(index)
        self.expect(seen is not None, f"{what} reached stack index {index}, never seen")
        self.expect(self.w.project == seen, f"{what} to index {index} did not restore the "
                    "exact project seen there")

    def do_tab(self) -> None:
        self._charts_on_screen()
        tabs = self.panel.tabs
        tabs.setCurrentIndex(self.rng.randrange(tabs.count()))
        self.tabs_seen.add(self.panel.current_name)

    def do_export(self) -> None:
        from core.errors import InputError

        self._charts_on_screen()
        panel = self.panel
        name = panel.current_name
        fmt = self.rng.choice(["png", "svg"])
        path = self.out / f"{self.step_no}-{name}.{fmt}"
        if name == "sweep" and panel.sweep_view.sweep is None:
            try:
                panel.export_to(fmt, str(path))
            except InputError as e:
                self.expect("sweep" in str(e), f"export refused without naming the sweep: {e}")
                return
            self.fail("exported a Sweep chart with no sweep drawn")
        written = panel.export_to(fmt, str(path))
        self.expect(written.stat().st_size > 1000, f"{written} is nearly empty")
        written.unlink()  # a long session must not fill the disk

    def do_deck_all(self) -> None:
        path = self.out / f"{self.step_no}-all.pptx"
        done: list[str] = []
        self.w.deck_written.connect(done.append)
        try:
            self.w.export_deck_all(str(path))
            self.bot.waitUntil(lambda: bool(done), timeout=120000)
        finally:
            self.w.deck_written.disconnect(done.append)
        self.expect(Path(done[0]).stat().st_size > 10000, "the deck of all scenarios is empty")
        Path(done[0]).unlink()

    def do_invalid(self) -> None:
        """Type something refused, see the field named and nothing changed, then correct it."""
        w = self.w
        before, index = w.project, w.document.undo_stack.index()
        case = self.rng.choice(["count", "tokens", "lone_range"])
        if case == "count":
            w.tabs.setCurrentIndex(1)
            field, bad, label = (w.fleet_editor.field_at(("fleet", 0, "count")), "-64",
                                 "Pool 1 count")
            editor = w.fleet_editor
        elif case == "tokens":
            w.tabs.setCurrentIndex(0)
            field, bad, label = (w.model_editor.field_at(("training", "tokens")),
                                 self.rng.choice(["nan", "inf", "-5T"]), "Tokens")
            editor = w.model_editor
        else:
            w.tabs.setCurrentIndex(0)
            if w.scenario.training.tokens_low is not None:
                self.do_range()  # a range is set: the lone-bound case needs none
                return
            field, bad, label = w.model_editor.field_at(("training", "tokens_low")), "5T", "Token range"
            editor = w.model_editor
        good = field.text()
        type_into(self.bot, field, bad)
        self.expect(w.project == before, f"{bad!r} in {label} changed the project")
        self.expect(field.error is not None, f"{bad!r} in {label} is not marked")
        self.expect(editor.error_line.text().startswith(label),
                    f"the error line does not name {label}: {editor.error_line.text()!r}")
        self.bot.waitUntil(lambda: not w.evaluator.busy, timeout=60000)
        self.expect(w.results.stale and label in w.results.status.text(),
                    f"the result is not marked stale naming {label}: {w.results.status.text()!r}")
        # the person corrects it: the text that was there before
        if good:
            type_into(self.bot, field, good)
        else:
            erase(self.bot, field)
        self.expect(field.error is None, f"{label} still marked after typing {good!r} back")
        self.expect(w.project.scenarios[w.current] == before.scenarios[w.current],
                    f"typing {good!r} back into {label} did not restore the scenario")
        if w.document.undo_stack.index() != index:
            self._edited()  # retyping pushed (merged) steps that end where it started

    def do_autosave(self) -> None:
        from app.main_window import AUTOSAVE_MS
        from core.project import load_project

        w = self.w
        self.bot.wait(AUTOSAVE_MS + 50)  # the autosave timer's tick
        w.autosaver.wait()
        if w.session is None:
            return
        path = w.session.autosave_path
        if w.document.modified:
            self.expect(path.exists(), "modified, but nothing autosaved")
            self.expect(load_project(path) == w.project, "the autosave is not the project")
        else:
            self.expect(not path.exists(), "an autosave of an unmodified project is kept")

    # ---- bookkeeping ---------------------------------------------------------------------
    def _edited(self) -> None:
        self.settle()
        self._remember(edit=True)

    def _remember(self, edit: bool) -> None:
        index = self.w.document.undo_stack.index()
        if edit:  # a push drops the steps that could have been redone
            self._snapshots = {k: v for k, v in self._snapshots.items() if k < index}
        self._snapshots[index] = self.w.project

    # ---- after every step ----------------------------------------------------------------
    def check(self) -> None:
        from app.theme import VERDICT_STYLE
        from core.scenario_eval import evaluate_scenario

        w = self.w
        self.bot.wait(1)  # deferred deletes of closed dialogs
        self.settle()
        if self.exceptions:
            self.fail(f"{len(self.exceptions)} exception(s) escaped:\n{self.exceptions[0]}")
        # no dialog left open, and none kept alive once closed
        open_ = [type(d).__name__ for d in QApplication.topLevelWidgets()
                 if isinstance(d, QDialog) and d.isVisible()]
        self.expect(not open_, f"dialogs left open: {open_}")
        self.bot.waitUntil(lambda: not w.findChildren(QDialog), timeout=5000)
        # the result shown is the core's for the scenario on screen
        expected = evaluate_scenario(w.scenario, w.project)
        shown = w.results.result
        self.expect(shown == expected, f"shown {shown.scenario!r} {shown.verdict}, core says "
                    f"{expected.scenario!r} {expected.verdict}")
        self.expect(not w.results.stale, f"result marked stale: {w.results.status.text()!r}")
        words = VERDICT_STYLE[expected.verdict][2]
        self.expect(w.results.banner.text().startswith(words),
                    f"banner {w.results.banner.text()!r} for verdict {expected.verdict}")
        tip = w.scenarios.list.item(w.current).toolTip().split("\n")
        self.expect(len(tip) > 1 and tip[1] == words, f"list says {tip}, core {words!r}")
        if w._charts_shown == w._charts_key():
            self.expect(self.panel.charts.scenario == w.scenario, "charts of another scenario")
            view = self.panel.sweep_view
            self.expect(view.charts is self.panel.charts, "the Sweep tab has other chart data")
            self.expect(view.sweep is None or view.sweep.scenario == w.scenario.name,
                        f"a sweep of {getattr(view.sweep, 'scenario', '')!r} is drawn")
        # the editors show the exact inputs of the current scenario
        s = w.scenario
        for name, editor in w.editors.items():
            self.expect(editor.scenario == s, f"the {name} editor holds another scenario")
        self.expect(w.model_editor.maturity.currentData() == s.physics.maturity,
                    "maturity combo differs from the scenario")
        self.expect(w.policy_editor.end_user.currentData() == s.policy.end_user_type,
                    "end-user combo differs from the scenario")
        for path in (("training", "tokens"), ("training", "tokens_low"),
                     ("training", "tokens_high")):
            field = w.model_editor.field_at(path)
            value = getattr(s.training, path[1])
            text = field.text()
            self.expect((value is None and text == "") or (text and field.parse(text) == value),
                        f"{path[1]} shows {text!r}, the scenario has {value}")
        # undo/redo land on what was seen at that index (an edit was remembered when made)
        index = w.document.undo_stack.index()
        seen = self._snapshots.get(index)
        self.expect(seen is None or seen == w.project, f"the project at stack index {index} "
                    "is not the one seen there")
        self._remember(edit=False)
