"""The main window: scenario list | editors (model, fleet, policy) | live results, plus the
File/Edit/Scenario menus, the modified flag, autosave and the unsaved-changes prompt. Results
and what to evaluate next live in ``app.results_store`` (no Qt)."""

from __future__ import annotations

import base64
import contextlib
import sys
from pathlib import Path

from PySide6.QtCore import QByteArray, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTabWidget,
)

from app import sources, state
from app.autosave import Autosaver
from app.background import BackgroundCall
from app.document import ProjectDocument
from app.editors.fleet_editor import FleetEditor
from app.editors.model_editor import ModelEditor
from app.editors.policy_editor import PolicyEditor
from app.evaluator import ChartWorker, LiveEvaluator
from app.plain import message_box, plain
from app.results_store import ResultsStore
from app.results_view import ResultsView
from app.scenario_list import ScenarioList
from app.screen_fit import fit_to_screen
from core.chart_data import chart_set
from core.errors import InputError
from core.scenario import Scenario

AUTOSAVE_MS = 500  # an edit is on disk within this plus at most two writes (docs/gui.md)
CHARTS_DELAY_MS = 400  # charts follow the result once edits pause
FILE_FILTER = "Chokepoint project (*.json);;All files (*)"
DELETE_SHORTCUT = "Ctrl+Delete"  # and Delete while the scenario list has the focus


def redo_shortcuts(platform: str = sys.platform) -> list[QKeySequence]:
    """The platform's redo keys, plus Ctrl+Y and Ctrl+Shift+Z on Windows and Linux (people use
    both there; macOS keeps its own Cmd+Shift+Z)."""
    keys = [QKeySequence(QKeySequence.StandardKey.Redo)]
    keys += QKeySequence.keyBindings(QKeySequence.StandardKey.Redo)
    if platform != "darwin":
        keys += [QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")]
    out: list[QKeySequence] = []
    for k in keys:
        if not k.isEmpty() and k not in out:
            out.append(k)
    return out


class MainWindow(QMainWindow):
    result_shown = Signal(object)  # ScenarioResult now on screen
    deck_written = Signal(str)  # path of a deck written by export_deck_all

    def __init__(self, document: ProjectDocument, session: state.Session | None = None,
                 interactive: bool = True):
        super().__init__()
        self.session = session
        self.interactive = interactive  # False in tests/smoke: no modal dialogs
        self._doc: ProjectDocument | None = None  # set by set_document() below
        self.current = 0
        self._problems: dict[str, str] = {}
        self.store = ResultsStore()
        self.evaluator = LiveEvaluator(self)
        self.evaluator.result_ready.connect(self._on_result)
        self.evaluator.failed.connect(self._on_failed)
        self.evaluator.busy_changed.connect(self._on_busy)
        # the other scenarios, one at a time while the live evaluation is idle, so every entry of
        # the scenario list shows its verdict without being opened
        self.background = LiveEvaluator(self, debounce_ms=0)
        self.background.result_ready.connect(self._on_background_result)
        self.background.failed.connect(self._on_background_failed)
        self.chart_worker = ChartWorker(self)
        self.chart_worker.ready.connect(self._on_charts)
        self.chart_worker.failed.connect(self._on_charts_failed)
        self._charts_requested: tuple[str, int] | None = None
        self._charts_shown: tuple[str, int] | None = None
        self._deck_worker: BackgroundCall | None = None
        self._charts_timer = QTimer(self, singleShot=True, interval=CHARTS_DELAY_MS)
        self._charts_timer.timeout.connect(lambda: self.request_charts(now=True))

        self.scenarios = ScenarioList()
        self.model_editor = ModelEditor()
        self.fleet_editor = FleetEditor()
        self.policy_editor = PolicyEditor()
        self.editors = {"model": self.model_editor, "fleet": self.fleet_editor,
                        "policy": self.policy_editor}
        self.tabs = QTabWidget()
        self.tabs.addTab(self.model_editor, "Model")
        self.tabs.addTab(self.fleet_editor, "Fleet")
        self.tabs.addTab(self.policy_editor, "Policy")
        self.results = ResultsView()
        self.policy_editor.project_edited.connect(
            lambda project, text: self.document.set_project(project, text, None, self.current, self.current))
        for name, editor in self.editors.items():
            editor.edited.connect(self._on_edited)
            editor.problem.connect(lambda msg, n=name: self._on_problem(n, msg))
        self.scenarios.selected.connect(self.select_scenario)
        self.scenarios.add_requested.connect(self.add_scenario)
        self.scenarios.duplicate_requested.connect(self.duplicate_scenario)
        self.scenarios.rename_requested.connect(self._rename_clicked)
        self.scenarios.delete_requested.connect(self.delete_scenario)
        self.scenarios.move_requested.connect(self.move_scenario)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.scenarios)
        self.splitter.addWidget(self.tabs)
        self.splitter.addWidget(self.results)
        self.splitter.setStretchFactor(0, 1)  # a wide screen gives the names room too
        self.splitter.setStretchFactor(1, 4)
        self.splitter.setStretchFactor(2, 4)
        self.splitter.setSizes([196, 604, 566])
        self.splitter.setChildrenCollapsible(False)
        self.scenarios.setMinimumWidth(150)
        panel = self.results.charts
        panel.shown.connect(self.request_charts)
        panel.message.connect(lambda m: self.statusBar().showMessage(m, 8000))
        self.results.scroll.verticalScrollBar().valueChanged.connect(
            lambda _v: self.request_charts())
        self.setCentralWidget(self.splitter)
        self.busy_label = plain(QLabel())
        self.statusBar().addPermanentWidget(self.busy_label)

        self.autosaver = Autosaver(session, self)  # does nothing without a session
        self.autosaver.failed.connect(lambda m: self.statusBar().showMessage(m, 10000))
        self._autosave_timer = QTimer(self, singleShot=True, interval=AUTOSAVE_MS)
        self._autosave_timer.timeout.connect(lambda: self.autosave(wait=False))
        self._build_menus()
        self.set_document(document)
        self._restore_geometry()

    # ---- menus -------------------------------------------------------------------------
    def _action(self, menu, text: str, slot, shortcut=None, tip: str = "") -> QAction:
        a = QAction(text, self)
        if shortcut is not None:
            a.setShortcut(QKeySequence(shortcut))
        a.setStatusTip(tip)
        a.triggered.connect(slot)
        menu.addAction(a)
        return a

    def _build_menus(self) -> None:
        SK = QKeySequence.StandardKey
        m = self.menuBar().addMenu("&File")
        self._action(m, "&New", self.new_project, SK.New, "Start a new project")
        self._action(m, "&Open…", self.open_dialog, SK.Open, "Open a project file")
        self.recent_menu = m.addMenu("Open &Recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        m.addSeparator()
        self._action(m, "&Save", self.save, SK.Save, "Save the project")
        self._action(m, "Save &As…", self.save_as, SK.SaveAs, "Save under a new name")
        self._action(m, "&Close", self.close_project, SK.Close, "Close the project")
        m.addSeparator()
        self._action(m, "Project &Properties…", self.properties_dialog, None,
                     "Project name and the marking printed on every export")
        self._action(m, "&Export Deck…", lambda: self.export_deck_dialog(), "Ctrl+E",
                     "PowerPoint deck: summary slide and one slide per chart")
        self._action(m, "Export Deck of &All Scenarios…", lambda: self.export_deck_dialog(True),
                     "Ctrl+Shift+E", "One deck: the project charts, then every scenario's charts")
        m.addSeparator()
        self._action(m, "&Quit", self.close, SK.Quit, "Quit Chokepoint")

        e = self.menuBar().addMenu("&Edit")
        self.undo_action = QAction("&Undo", self)
        self.undo_action.setShortcut(QKeySequence(SK.Undo))
        self.undo_action.triggered.connect(lambda: self.document.undo_stack.undo())
        self.redo_action = QAction("&Redo", self)
        self.redo_action.setShortcuts(redo_shortcuts())
        self.redo_action.triggered.connect(lambda: self.document.undo_stack.redo())
        e.addAction(self.undo_action)
        e.addAction(self.redo_action)

        s = self.menuBar().addMenu("&Scenario")
        self._action(s, "&Add", self.add_scenario, "Ctrl+Shift+N")
        self._action(s, "&Duplicate", lambda: self.duplicate_scenario(self.current), "Ctrl+D")
        self._action(s, "&Rename…", lambda: self._rename_clicked(self.current), "F2")
        self.delete_action = self._action(s, "De&lete", lambda: self.delete_scenario(self.current),
                                          DELETE_SHORTCUT, "Delete the selected scenario (undoable)")
        s.addSeparator()
        self._action(s, "Move &Up", lambda: self.move_scenario(self.current, self.current - 1),
                     "Ctrl+Shift+Up")
        self._action(s, "Move Do&wn", lambda: self.move_scenario(self.current, self.current + 1),
                     "Ctrl+Shift+Down")
        s.addSeparator()
        self._action(s, "&What Would It Take…", self.solver_dialog, "Ctrl+T",
                     "Smallest fleet, latest start and cheapest compliant option for a deadline")
        # a lambda: triggered(checked) would arrive as ``picked`` (False) and raise TypeError
        self._action(s, "&Compare Scenarios…", lambda: self.compare_dialog(), "Ctrl+Shift+C",
                     "Scenarios side by side: the inputs that differ and what they did")

    def _update_undo_actions(self) -> None:
        stack = self.document.undo_stack
        self.undo_action.setEnabled(stack.canUndo())
        self.redo_action.setEnabled(stack.canRedo())
        self.undo_action.setText(f"&Undo {stack.undoText()}".rstrip())
        self.redo_action.setText(f"&Redo {stack.redoText()}".rstrip())

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        items = state.recent_files()
        for path in items:
            a = self.recent_menu.addAction(path)
            a.triggered.connect(lambda _c=False, p=path: self.open_path(p))
        if not items:
            self.recent_menu.addAction("(none)").setEnabled(False)
        else:
            self.recent_menu.addSeparator()
            self.recent_menu.addAction("Clear list", state.clear_recent)

    # ---- document ----------------------------------------------------------------------
    def set_document(self, document: ProjectDocument) -> None:
        old = self._doc
        if old is not None:
            old.changed.disconnect(self._on_document_changed)
            old.structure_changed.disconnect(self._on_structure_changed)
            old.selection_requested.disconnect(self.select_scenario)
            old.undo_stack.cleanChanged.disconnect(self._update_title)
            old.undo_stack.indexChanged.disconnect(self._update_undo_actions)
            old.deleteLater()
        document.setParent(self)
        self._doc = document
        document.changed.connect(self._on_document_changed)
        document.structure_changed.connect(self._on_structure_changed)
        document.selection_requested.connect(self.select_scenario)
        document.undo_stack.cleanChanged.connect(self._update_title)
        document.undo_stack.indexChanged.connect(self._update_undo_actions)
        self._problems.clear()
        self.results.result = None
        self.current = 0
        self._on_structure_changed()
        self._load_editors(force=True)
        self._update_title()
        self._update_undo_actions()
        self.evaluate_now()
        self._autosave_soon()

    def _on_busy(self, busy: bool) -> None:
        self.results.set_busy(busy)

    @property
    def document(self) -> ProjectDocument:
        assert self._doc is not None, "set_document() runs in __init__"
        return self._doc

    @property
    def project(self):
        return self.document.project

    @property
    def scenario(self) -> Scenario:
        return self.project.scenarios[self.current]

    def _update_title(self, *_args) -> None:
        doc = self.document
        marking = f" [{doc.project.marking}]" if doc.project.marking else ""
        self.setWindowTitle(f"{doc.display_name}[*]{marking} — Chokepoint")
        self.setWindowModified(doc.modified)

    def _load_editors(self, force: bool) -> None:
        self.policy_editor.scenario_index = self.current
        for editor in self.editors.values():
            editor.load(self.scenario, self.project, force)

    def _on_document_changed(self) -> None:
        self.current = min(self.current, len(self.project.scenarios) - 1)
        self._load_editors(force=False)
        self._paint_verdicts()  # a regime edit makes other scenarios' verdicts unknown
        self.evaluate_now()
        self._update_title()
        self._autosave_soon()

    def _on_structure_changed(self) -> None:
        self.current = min(self.current, len(self.project.scenarios) - 1)
        self.scenarios.set_names([s.name for s in self.project.scenarios], self.current)
        self._paint_verdicts()

    def _paint_verdicts(self) -> None:
        for i in range(len(self.project.scenarios)):
            self.scenarios.set_outcome(i, self.store.outcome(self.project, i))

    def select_scenario(self, index: int) -> None:
        if not 0 <= index < len(self.project.scenarios):
            return
        changed = index != self.current
        self.current = index
        self.scenarios.select(index)
        if changed:
            self._problems.clear()
            self._load_editors(force=True)
            self.results.set_stale(None)
            cached = self.store.result(self.project, self.current)
            if cached is not None:
                self._show(cached)
            self.evaluate_now()

    # ---- edits -------------------------------------------------------------------------
    def _on_edited(self, scenario: Scenario, text: str, merge_key) -> None:
        self.document.set_scenario(self.current, scenario, text, merge_key)

    def _on_problem(self, editor: str, message: str) -> None:
        if message:
            self._problems[editor] = message
        else:
            self._problems.pop(editor, None)
        self.results.set_stale(next(iter(self._problems.values()), None))

    def add_scenario(self) -> None:
        names = {s.name for s in self.project.scenarios}
        n = len(names) + 1
        while f"Scenario {n}" in names:
            n += 1
        scenarios = [*self.project.scenarios, sources.new_scenario(f"Scenario {n}", self.scenario)]
        self.document.set_scenarios(scenarios, "Add scenario", self.current, len(scenarios) - 1)

    def duplicate_scenario(self, index: int) -> None:
        if not 0 <= index < len(self.project.scenarios):
            return
        src = self.project.scenarios[index]
        names = {s.name for s in self.project.scenarios}
        name = f"{src.name} (copy)"
        n = 2
        while name in names:
            name = f"{src.name} (copy {n})"
            n += 1
        scenarios = list(self.project.scenarios)
        scenarios.insert(index + 1, src.model_copy(update={"name": name}))
        self.document.set_scenarios(scenarios, "Duplicate scenario", index, index + 1)

    def _rename_clicked(self, index: int) -> None:
        if not 0 <= index < len(self.project.scenarios):
            return
        name, ok = QInputDialog.getText(self, "Rename scenario", "Name:",
                                        text=self.project.scenarios[index].name)
        if ok:
            self.rename_scenario(index, name)

    def rename_scenario(self, index: int, name: str) -> bool:
        name = name.strip()
        if not name:
            self.statusBar().showMessage("A scenario needs a name.", 5000)
            return False
        scenarios = list(self.project.scenarios)
        scenarios[index] = scenarios[index].model_copy(update={"name": name})
        self.document.set_scenarios(scenarios, "Rename scenario", index, index)
        return True

    def delete_scenario(self, index: int) -> None:
        if len(self.project.scenarios) <= 1 or not 0 <= index < len(self.project.scenarios):
            return
        scenarios = [s for i, s in enumerate(self.project.scenarios) if i != index]
        self.document.set_scenarios(scenarios, "Delete scenario", index, max(0, index - 1))

    def move_scenario(self, src: int, dst: int) -> None:
        n = len(self.project.scenarios)
        if not (0 <= src < n and 0 <= dst < n) or src == dst:
            return
        scenarios = list(self.project.scenarios)
        scenarios.insert(dst, scenarios.pop(src))
        self.document.set_scenarios(scenarios, "Move scenario", src, dst)

    # ---- evaluation --------------------------------------------------------------------
    def evaluate_now(self) -> None:
        self.busy_label.setText("evaluating…")
        self.evaluator.request(self.scenario, self.project)

    def _store(self, scenario: Scenario, project, outcome) -> bool:
        """Keep an outcome and colour its rows; True when it is the current scenario's."""
        key = self.store.put(scenario, project, outcome)
        rows = self.store.rows(self.project, key)
        for i in rows:
            self.scenarios.set_outcome(i, outcome)
        return self.current in rows

    def _on_result(self, scenario: Scenario, result, project) -> None:
        if self._store(scenario, project, result):
            self._show(result)

    def _show(self, result) -> None:
        self.results.show_result(result)
        self.results.set_stale(next(iter(self._problems.values()), None))
        self.busy_label.setText("")
        self.result_shown.emit(result)
        self.request_charts()
        self._schedule_background()

    def _schedule_background(self) -> None:
        """Evaluate the next scenario that has no result yet, if nothing else is running."""
        index = self.store.next_missing(self.project)
        if index is not None and not (self.evaluator.busy or self.background.busy):
            self.background.request(self.project.scenarios[index], self.project)

    def _on_background_result(self, scenario: Scenario, result, project) -> None:
        self._on_result(scenario, result, project)
        self._schedule_background()

    def _on_background_failed(self, scenario: Scenario, message: str, project) -> None:
        self._store(scenario, project, message)  # not retried until its inputs change
        self._schedule_background()

    # ---- charts ------------------------------------------------------------------------
    def _charts_key(self) -> tuple[str, int]:
        return (self.project.model_dump_json(), self.current)

    def request_charts(self, force: bool = False, now: bool = False) -> None:
        """Compute the charts in the worker, only once the charts are on screen (the sweep and
        the other scenarios' evaluations take a while), after edits pause, and only when the
        inputs changed."""
        panel = self.results.charts
        if not force and (not panel.isVisible() or self.results.charts_on_screen() < 150):
            return
        if not (force or now):
            self._charts_timer.start()
            return
        key = self._charts_key()
        if key == self._charts_requested:
            return
        self._charts_requested = key
        panel.set_busy()
        self.chart_worker.request(key, self.project, self.current, self.store.known(self.project))

    def _on_charts(self, key, charts) -> None:
        if key == self._charts_key():
            self._charts_shown = key
            # the charts evaluated every scenario of this very project: keep those results
            self.store.put_all(self.project, charts.results)
            self._paint_verdicts()
            self.results.charts.show_charts(charts, self._file_name(), self.project)

    def _on_charts_failed(self, key, message: str) -> None:
        if key == self._charts_key():
            self.results.charts.show_error(message)

    def _file_name(self) -> str | None:
        return Path(self.document.path).name if self.document.path else None

    def current_charts(self):
        """The ChartSet of the current scenario: the panel's if up to date, else computed now."""
        if self._charts_shown == self._charts_key():  # what is drawn is of this very project
            return self.results.charts.charts_with_sweep()  # with the Sweep tab's sweep, if any
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            return chart_set(self.project, self.current, self.store.known(self.project))
        finally:
            QGuiApplication.restoreOverrideCursor()

    def export_deck(self, path: str) -> Path:
        from app.export.pptx import export_deck

        return export_deck(self.current_charts(), path, file_name=self._file_name())

    def export_deck_all(self, path: str) -> None:
        """Every scenario's charts in one deck: the chart data of each scenario is gathered in a
        worker (the window stays usable), then drawn and written here (drawing needs the GUI
        thread); ``deck_written(path)`` or a warning when done."""
        from app.export.pptx import every_scenario

        project, current = self.project, self.current
        first = self.results.charts.charts_with_sweep() \
            if self._charts_shown == self._charts_key() else None
        old = self._deck_worker
        if old is not None:  # one at a time; a new export supersedes an unfinished one
            old.cancel()
            old.deleteLater()  # its call, if running, ends on its own (app.background)
        worker = BackgroundCall("deck", self)
        self._deck_worker = worker

        def ready(sets) -> None:
            from app.export.pptx import export_deck
            from app.heap import release_freed_memory

            QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
            try:
                written = export_deck(sets[current], path, file_name=self._file_name(),
                                      scenarios=sets)
            except (InputError, OSError) as e:
                self._warn("Cannot export the deck", str(e))
                return
            finally:
                QGuiApplication.restoreOverrideCursor()
                # the freed images go back to the OS, once the offscreen charts (deleted later)
                # are gone: else glibc keeps ~280 MB of free pages (docs/reliability.md)
                QTimer.singleShot(1000, release_freed_memory)
            self.statusBar().showMessage(f"Deck written: {written}", 8000)
            self.deck_written.emit(str(written))

        worker.ready.connect(ready)
        worker.failed.connect(lambda m: self._warn("Cannot export the deck", m))
        self.statusBar().showMessage("Gathering every scenario's charts…")
        worker.start(lambda: every_scenario(project, first))

    def export_deck_dialog(self, all_scenarios: bool = False) -> None:
        from app.filenames import suggested_file_name

        start = suggested_file_name(Path(self.document.display_name).stem if self.document.path
                                    else self.project.name, ".pptx")
        path, _ = QFileDialog.getSaveFileName(self, "Export deck", start,
                                              "PowerPoint (*.pptx)")
        if not path:
            return
        if self.document.path and Path(path).exists() and Path(path).samefile(self.document.path):
            self._warn("Cannot export the deck", f"{path} is this project's own file; choose "
                       "another name")
            return
        if all_scenarios:
            self.export_deck_all(path)
            return
        try:
            self.export_deck(path)
        except (InputError, OSError) as e:
            self._warn("Cannot export the deck", str(e))
            return
        self.statusBar().showMessage(f"Deck written: {path}", 8000)

    # ---- project properties ------------------------------------------------------------
    def set_project_properties(self, name: str, marking: str) -> bool:
        """One undoable step; the marking is printed on every exported image and slide."""
        name, marking = name.strip(), marking.strip()
        if not name:
            self.statusBar().showMessage("A project needs a name.", 5000)
            return False
        self.document.set_project(self.project.model_copy(update={"name": name,
                                                                  "marking": marking}),
                                  "Change project properties")
        return True

    def solver_dialog(self):
        """Scenario → What would it take…: non-modal, solved in a worker (app/solver_dialog)."""
        from app.solver_dialog import SolverDialog

        dialog = SolverDialog(self.scenario, self.project, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def compare_dialog(self, picked: list[int] | None = None):
        """Scenario → Compare Scenarios…: the current scenario and the next (or the one before),
        unless ``picked``; non-modal, computed in a worker (app/compare_dialog)."""
        from app.compare_dialog import CompareDialog

        n = len(self.project.scenarios)
        if picked is None:
            other = self.current + 1 if self.current + 1 < n else self.current - 1
            picked = [self.current] + ([other] if other >= 0 else [])
        results = [self.store.result(self.project, i) for i in range(n)]
        dialog = CompareDialog(self.project, results, picked, self, self._file_name())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def properties_dialog(self) -> None:
        from app.properties import ProjectPropertiesDialog

        dialog = ProjectPropertiesDialog(self.project.name, self.project.marking, self)
        if dialog.exec():
            self.set_project_properties(*dialog.values())

    def _on_failed(self, scenario: Scenario, message: str, project) -> None:
        if self._store(scenario, project, message):
            self.busy_label.setText("")
            self.results.show_error(message)
            if self.results.result is None:
                self.results.banner.setText(f"Cannot evaluate: {message}")
        self._schedule_background()

    # ---- files -------------------------------------------------------------------------
    def _warn(self, title: str, message: str) -> None:
        if self.interactive:
            message_box(self, QMessageBox.Icon.Warning, title, message)
        self.statusBar().showMessage(message, 10000)

    def maybe_save(self) -> bool:
        """True when it is fine to drop the current project (saved, discarded)."""
        if not self.document.modified or not self.interactive:
            return True  # nothing to lose, or a test/smoke run that cannot answer a dialog
        answer = message_box(
            self, QMessageBox.Icon.Question, "Unsaved changes",
            f"Save the changes to “{self.document.display_name}” before closing?",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Save)
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def new_project(self) -> None:
        if self.maybe_save():
            self.set_document(ProjectDocument(sources.new_project()))

    def close_project(self) -> None:
        self.new_project()

    def open_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open project", "", FILE_FILTER)
        if path:
            self.open_path(path)

    def open_path(self, path: str) -> bool:
        if not self.maybe_save():
            return False
        try:
            doc = ProjectDocument.open(path)
        except InputError as e:
            self._warn("Cannot open project", str(e))  # the loader's message names the file
            return False
        self.set_document(doc)
        state.add_recent(path)
        return True

    def save(self) -> bool:
        if not self.document.path:
            return self.save_as()
        return self.save_to(self.document.path)

    def save_as(self) -> bool:
        from app.filenames import suggested_file_name

        start = self.document.path or suggested_file_name(self.project.name, ".json")
        path, _ = QFileDialog.getSaveFileName(self, "Save project as", start, FILE_FILTER)
        return bool(path) and self.save_to(path)

    def save_to(self, path: str) -> bool:
        try:
            self.document.save(path)
        except (InputError, OSError) as e:
            self._warn("Cannot save project", str(e))
            return False
        state.add_recent(path)
        self.autosave()  # saved: nothing left to recover
        self._update_title()
        self.statusBar().showMessage(f"Saved {path}", 5000)
        return True

    def _autosave_soon(self) -> None:
        """Throttled, not debounced (a restarted timer would starve while someone types): the
        first change starts the timer, later ones ride along. The undo stack is updated by then."""
        if not self._autosave_timer.isActive():
            self._autosave_timer.start()

    def autosave(self, wait: bool = True) -> None:
        """Copy a modified project to the state folder (never next to the file), in a worker; a
        project back at its saved state has nothing to recover."""
        doc = self.document
        if doc.modified:
            self.autosaver.save(doc.project, doc.path)
        else:
            self.autosaver.clear()
        if wait:
            self.autosaver.wait()

    # ---- geometry and closing ----------------------------------------------------------
    def _restore_geometry(self) -> None:
        ui = state.load_ui_state()
        restored = False
        try:
            if "geometry" in ui:
                restored = self.restoreGeometry(QByteArray(base64.b64decode(ui["geometry"])))
            if "splitter" in ui:
                self.splitter.restoreState(QByteArray(base64.b64decode(ui["splitter"])))
        except (ValueError, TypeError):
            pass
        fit_to_screen(self, restored)  # a new window sized to its screen, a saved one clamped

    def _save_geometry(self) -> None:
        with contextlib.suppress(OSError):  # a read-only state folder: the next start is centred
            state.save_ui_state({
                "geometry": base64.b64encode(self.saveGeometry().data()).decode(),
                "splitter": base64.b64encode(self.splitter.saveState().data()).decode(),
            })

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt API)
        if not self.maybe_save():
            event.ignore()
            return
        self._autosave_timer.stop()
        self.autosaver.wait()
        self._charts_timer.stop()
        self.evaluator.shutdown()
        self.background.shutdown()
        self.chart_worker.shutdown()
        if self._deck_worker is not None:
            self._deck_worker.cancel()
            self._deck_worker.wait()
        self._save_geometry()
        if self.session is not None:
            self.session.close()
        event.accept()


