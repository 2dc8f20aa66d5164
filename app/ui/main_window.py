"""The main window: navigation with history, pages of the open workspace, menus, drag and drop
of files, and the window's place remembered between runs."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QSettings, Signal
from PySide6.QtGui import QAction, QDragEnterEvent, QDropEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QMenu,
    QMessageBox,
    QStackedWidget,
    QToolBar,
    QUndoView,
    QVBoxLayout,
    QWidget,
)

from app.services.workspaces import (
    Workspace,
    WorkspaceError,
    create_workspace,
    is_server_location,
    location_label,
    open_workspace,
    recent_workspaces,
    remember_workspace,
)
from app.ui import theme
from app.ui.audit_page import AuditPage
from app.ui.budget_grid_dialog import BudgetGridDialog
from app.ui.budgets_page import BudgetsPage
from app.ui.dashboard_page import DashboardPage
from app.ui.disputes_page import DisputesPage
from app.ui.explore_page import ExplorePage
from app.ui.forecast_page import ForecastPage
from app.ui.help_dialogs import guide_dialog, shortcuts_dialog, show_about
from app.ui.hygiene_page import HygienePage
from app.ui.import_wizard import ImportWizard
from app.ui.imports_page import ImportsPage
from app.ui.insights_page import InsightsPage
from app.ui.invoices_page import InvoicesPage
from app.ui.policy_editor import PolicyEditor
from app.ui.policy_file_dialog import PolicyImportDialog
from app.ui.pools_page import PoolsPage
from app.ui.presentation.audit import AuditPresenter
from app.ui.presentation.budgets import BudgetsPresenter
from app.ui.presentation.dashboard import DashboardPresenter
from app.ui.presentation.disputes import DisputesPresenter
from app.ui.presentation.explore import ExplorePresenter
from app.ui.presentation.forecast import ForecastPresenter
from app.ui.presentation.hygiene import HygienePresenter
from app.ui.presentation.imports import ImportsPresenter
from app.ui.presentation.insights import InsightsPresenter
from app.ui.presentation.invoices import EXPORT_KINDS, InvoicesPresenter
from app.ui.presentation.navigation import PAGE_NAMES, PAGES, Navigator, Place
from app.ui.presentation.policy_file import export_task
from app.ui.presentation.pools import PoolsPresenter
from app.ui.presentation.prices import PricesPresenter
from app.ui.presentation.reconciliation import ReconciliationPresenter
from app.ui.presentation.rules import RulesPresenter
from app.ui.presentation.taxonomy import TaxonomyPresenter
from app.ui.presentation.unallocated import UnallocatedPresenter
from app.ui.prices_page import PricesPage
from app.ui.read_only import WriteControlsLock, lock_actions
from app.ui.reconciliation_page import ReconciliationPage
from app.ui.responsiveness import share_interpreter_with_workers
from app.ui.rules_page import RulesPage
from app.ui.shared_workspace_dialog import SharedWorkspaceDialog
from app.ui.taxonomy_page import TaxonomyPage
from app.ui.unallocated_page import UnallocatedPage
from app.ui.welcome import WelcomeView
from app.ui.workers import TaskWorker

log = logging.getLogger(__name__)

WORKSPACE_FILTER = "Chargeback Desk workspaces (*.cbdesk);;All files (*)"


def _with_platform_keys(keys: str, standard: QKeySequence.StandardKey) -> list[QKeySequence]:
    """``keys`` and the platform's own keys for the same command, each once (a key bound
    twice would be an ambiguous shortcut and do nothing)."""
    found = [QKeySequence(keys)]
    for sequence in QKeySequence.keyBindings(standard):
        if sequence not in found:
            found.append(sequence)
    return found


class MainWindow(QMainWindow):
    """Holds one workspace at a time (or the welcome view)."""

    workspace_changed = Signal()
    """An import, removal or close changed what every page shows."""

    def __init__(self, remember: bool = True) -> None:
        share_interpreter_with_workers()
        super().__init__()
        self.remember = remember
        self.navigator = Navigator()
        self.workspace: Workspace | None = None
        self.dashboard: DashboardPage | None = None
        self.imports: ImportsPage | None = None
        self.invoices: InvoicesPage | None = None
        self.budgets: BudgetsPage | None = None
        self.insights: InsightsPage | None = None
        self.explore: ExplorePage | None = None
        self.unallocated: UnallocatedPage | None = None
        self.rules: RulesPage | None = None
        self.audit: AuditPage | None = None
        self.disputes: DisputesPage | None = None
        self.forecast: ForecastPage | None = None
        self.hygiene: HygienePage | None = None
        self.taxonomy: TaxonomyPage | None = None
        self.pools: PoolsPage | None = None
        self.reconciliation: ReconciliationPage | None = None
        self.prices: PricesPage | None = None
        self.editor: PolicyEditor | None = None
        self.refusal: QMessageBox | None = None
        """The last refusal shown (a change, undo or redo that was not made)."""
        self.history: QDialog | None = None
        self._file_workers: set[TaskWorker] = set()
        self.help_window: QDialog | None = None
        self.wizard: ImportWizard | None = None
        self.budget_grid: BudgetGridDialog | None = None
        self.shared_dialog: SharedWorkspaceDialog | None = None
        self.file_actions: dict[str, QAction] = {}
        self.read_only_banner = QLabel()
        self.read_only_banner.setObjectName("readOnlyBanner")
        self.read_only_banner.hide()
        self.statusBar().addPermanentWidget(self.read_only_banner)
        self.setWindowTitle("Chargeback Desk")
        self.setStyleSheet(theme.style_sheet(theme.current()))
        # The operating system switched light/dark: follow it (charts on their next load).
        QGuiApplication.styleHints().colorSchemeChanged.connect(
            lambda _scheme: self.setStyleSheet(theme.style_sheet(theme.current()))
        )
        self.setAcceptDrops(True)
        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.nav.setFixedWidth(170)
        self.stack = QStackedWidget()
        body = QWidget()
        row = QHBoxLayout(body)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.nav)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(body)
        self.welcome = WelcomeView()
        self.welcome.new_requested.connect(self.new_workspace)
        self.welcome.open_requested.connect(self.choose_workspace)
        self.welcome.shared_requested.connect(self.open_shared)
        self.welcome.demo_requested.connect(self.open_demo)
        self.stack.addWidget(self.welcome)
        self.nav.currentRowChanged.connect(self._nav_changed)
        self._menus()
        self._show_welcome()
        if self.remember:
            self._restore_geometry()

    def _restore_geometry(self) -> None:
        geometry = QSettings().value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)

    def _navigation(self) -> None:
        """Back and Forward (Alt+Left / Alt+Right, as in a browser), and a page per shortcut."""
        self.back_action = QAction("← Back", self)
        self.back_action.setShortcuts(
            _with_platform_keys("Alt+Left", QKeySequence.StandardKey.Back)
        )
        self.back_action.setToolTip("Back (Alt+Left)")
        self.back_action.triggered.connect(self.go_back)
        self.forward_action = QAction("Forward →", self)
        self.forward_action.setShortcuts(
            _with_platform_keys("Alt+Right", QKeySequence.StandardKey.Forward)
        )
        self.forward_action.setToolTip("Forward (Alt+Right)")
        self.forward_action.triggered.connect(self.go_forward)
        self.toolbar = QToolBar("Navigation")
        self.toolbar.setObjectName("navigation")
        self.toolbar.setMovable(False)
        self.toolbar.addAction(self.back_action)
        self.toolbar.addAction(self.forward_action)
        self.addToolBar(self.toolbar)
        view = self.menuBar().addMenu("&View")
        view.addAction(self.back_action)
        view.addAction(self.forward_action)
        view.addSeparator()
        for number, page in enumerate(PAGES, start=1):
            action = QAction(page.title, self)
            if number <= 9:  # Ctrl+1 … Ctrl+9; "Ctrl+10" would be Ctrl+1, then 0
                action.setShortcut(QKeySequence(f"Ctrl+{number}"))
            action.triggered.connect(lambda _checked=False, name=page.name: self.show_page(name))
            view.addAction(action)
        self._update_history_actions()

    def explore_team(self, team: str, period: str | None = None) -> None:
        """Open Explore on ``team``, grouped by product (a step of the history), in ``period``
        when given (else the month Explore shows)."""
        if self.explore is None:
            return
        if period is not None:
            self.explore.want_period(period)
        place = Place("explore", (f"team={team}", "by=product"))
        self.navigator.go(place)
        self._show_place(place)

    def _explored(self) -> None:
        """A drill-down, a crumb or a group-by in Explore: a step Back can return to."""
        if self.explore is not None:
            self.navigator.go(Place("explore", self.explore.presenter.place_detail()))
            self._update_history_actions()

    def _workspace_changed(self) -> None:
        """Every page shows something new: the one on screen reloads now, the others when
        next shown."""
        for name, page in self._pages().items():
            if name == "imports":
                continue  # it knows whether it is loading (below)
            if page is not None:
                page.dirty = True
        if self.imports is not None and not self.imports.loading:
            self.imports.dirty = self.stack.currentWidget() is not self.imports
        current = self.stack.currentWidget()
        if hasattr(current, "ensure_loaded"):
            current.ensure_loaded()

    def _update_history_actions(self) -> None:
        self.back_action.setEnabled(self.navigator.can_go_back)
        self.forward_action.setEnabled(self.navigator.can_go_forward)

    def go_back(self) -> None:
        place = self.navigator.back()
        if place is not None:
            self._show_place(place)

    def go_forward(self) -> None:
        place = self.navigator.forward()
        if place is not None:
            self._show_place(place)

    def _menus(self) -> None:
        menu = self.menuBar().addMenu("&File")
        for text, shortcut, slot in (
            ("&New workspace…", QKeySequence.StandardKey.New, self.new_workspace),
            ("&Open workspace…", QKeySequence.StandardKey.Open, self.choose_workspace),
            ("Open s&hared workspace…", QKeySequence("Ctrl+Shift+O"), self.open_shared),
            ("Open the &demo workspace", None, self.open_demo),
            ("&Import files…", QKeySequence("Ctrl+I"), self._import_files),
            ("Import &policy…", None, self.choose_policy_file),
            ("E&xport policy…", None, self.export_policy),
            ("&Quit", QKeySequence.StandardKey.Quit, self.close),
        ):
            action = QAction(text, self)
            if shortcut is not None:
                action.setShortcut(shortcut)
            action.triggered.connect(slot)
            menu.addAction(action)
            self.file_actions[slot.__name__] = action
            if slot == self.open_shared:
                self.recent_menu = menu.addMenu("Open &recent")
                self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
            if slot == self._import_files:
                self._export_menu(menu)
        self._edit_menu()
        self._navigation()
        self._help_menu()

    def _fill_recent_menu(self) -> None:
        """The recently opened workspaces: files that still exist, and shared ones."""
        self.recent_menu.clear()
        recent = recent_workspaces()
        for location in recent:
            action = self.recent_menu.addAction(location_label(location))
            action.triggered.connect(lambda _checked=False, at=location: self.open_location(at))
        if not recent:
            self.recent_menu.addAction("No recent workspaces").setEnabled(False)

    def _help_menu(self) -> None:
        menu = self.menuBar().addMenu("&Help")
        self.guide_action = QAction("&User guide", self)
        self.guide_action.setShortcuts(
            QKeySequence.keyBindings(QKeySequence.StandardKey.HelpContents)
        )
        self.guide_action.triggered.connect(lambda: self._show_dialog(guide_dialog(self)))
        shortcuts = QAction("&Keyboard shortcuts", self)
        shortcuts.triggered.connect(lambda: self._show_dialog(shortcuts_dialog(self)))
        about = QAction("&About Chargeback Desk", self)
        about.triggered.connect(lambda: show_about(self))
        for action in (self.guide_action, shortcuts, about):
            menu.addAction(action)

    def _show_dialog(self, dialog: QDialog) -> None:
        """Show a help window (not modal: the window stays usable beside it)."""
        self.help_window = dialog
        dialog.show()

    def _edit_menu(self) -> None:
        """Undo and Redo of policy changes (Ctrl+Z, Ctrl+Shift+Z and the platform's keys), and
        the history of this session's changes."""
        menu = self.menuBar().addMenu("&Edit")
        self.undo_action = QAction("&Undo", self)
        self.undo_action.setShortcuts(_with_platform_keys("Ctrl+Z", QKeySequence.StandardKey.Undo))
        self.undo_action.triggered.connect(self.undo)
        self.redo_action = QAction("&Redo", self)
        self.redo_action.setShortcuts(
            _with_platform_keys("Ctrl+Shift+Z", QKeySequence.StandardKey.Redo)
        )
        self.redo_action.triggered.connect(self.redo)
        self.history_action = QAction("Change &history…", self)
        self.history_action.triggered.connect(self.show_history)
        menu.addAction(self.undo_action)
        menu.addAction(self.redo_action)
        menu.addSeparator()
        menu.addAction(self.history_action)
        self._update_edit_actions()

    def undo(self) -> None:
        if self.editor is not None and not self.editor.busy:
            self.editor.undo_stack.undo()

    def redo(self) -> None:
        if self.editor is not None and not self.editor.busy:
            self.editor.undo_stack.redo()

    def _update_edit_actions(self, *_changed: object) -> None:
        editor = self.editor
        if self.history is not None:
            # No click in the history while a step runs (it would race the step).
            self.history_view.setEnabled(editor is not None and not editor.busy)
        stack = None if editor is None else editor.undo_stack
        idle = editor is not None and not editor.busy
        writable = self.workspace is not None and not self.workspace.read_only
        idle = idle and writable
        self.undo_action.setEnabled(idle and stack is not None and stack.canUndo())
        self.redo_action.setEnabled(idle and stack is not None and stack.canRedo())
        undo_text = stack.undoText() if stack is not None else ""
        redo_text = stack.redoText() if stack is not None else ""
        self.undo_action.setText(f"&Undo “{undo_text}”" if undo_text else "&Undo")
        self.redo_action.setText(f"&Redo “{redo_text}”" if redo_text else "&Redo")
        self.history_action.setEnabled(editor is not None)

    def show_history(self) -> None:
        """This session's policy changes; clicking one undoes or redoes up to it."""
        if self.editor is None:
            return
        if self.history is None:
            self.history = QDialog(self)
            self.history.setWindowTitle("Change history")
            self.history.resize(460, 320)
            layout = QVBoxLayout(self.history)
            note = QLabel(
                "The policy changes made in this window, oldest first. Click one to go back "
                "to it (later changes are undone, and can be redone)."
            )
            note.setWordWrap(True)
            layout.addWidget(note)
            self.history_view = QUndoView(self.history)
            self.history_view.setEmptyLabel("The policy as the workspace was opened")
            layout.addWidget(self.history_view)
        self.history_view.setStack(self.editor.undo_stack)
        self.history_view.setEnabled(not self.editor.busy)
        self.history.show()
        self.history.raise_()

    def _policy_changed(self, what: str) -> None:
        self.statusBar().showMessage(what, 8000)
        self.workspace_changed.emit()

    def _edit_refused(self, summary: str, problems: list[str]) -> None:
        """Say why a change, undo or redo was not made (without blocking the window)."""
        box = QMessageBox(QMessageBox.Icon.Warning, "Not changed", summary, parent=self)
        box.setInformativeText("\n".join(f"• {p}" for p in problems) or "Nothing was changed.")
        box.open()
        self.refusal = box

    def choose_policy_file(self) -> None:
        if self.workspace is None:
            QMessageBox.information(self, "Import policy", "Open or create a workspace first.")
            return
        name, _ = QFileDialog.getOpenFileName(
            self, "Import policy", "", "Policy files (*.toml);;All files (*)"
        )
        if name:
            self.import_policy(Path(name))

    def import_policy(self, path: Path) -> PolicyImportDialog | None:
        """Check ``path``, show its effect, and apply it as an undoable change if the user
        agrees (the dialog is returned, for tests)."""
        if self.workspace is None or self.editor is None:
            return None
        dialog = PolicyImportDialog(self.workspace, self.editor, path, self)
        dialog.open()
        return dialog

    def export_policy(self, path: Path | None = None) -> None:
        """Write the policy in force to a TOML file, on a worker."""
        if self.workspace is None:
            QMessageBox.information(self, "Export policy", "Open or create a workspace first.")
            return
        if path is None:
            name, _ = QFileDialog.getSaveFileName(
                self, "Export policy", "policy.toml", "Policy files (*.toml)"
            )
            if not name:
                return
            path = Path(name)
        task = export_task(self.workspace, path)
        worker = TaskWorker(lambda _progress, _cancel: task())
        worker.finished.connect(lambda message: self.statusBar().showMessage(message, 8000))
        worker.failed.connect(
            lambda message: self._edit_refused("The policy was not exported", [message])
        )
        worker.ended.connect(self._reap_file_workers)
        self._file_workers.add(worker)
        worker.start()

    def edit_budgets(self) -> BudgetGridDialog | None:
        """The budgets grid (not modal); returned for tests."""
        if self.workspace is None or self.editor is None:
            return None
        if self.budget_grid is not None and self.budget_grid.isVisible():
            self.budget_grid.raise_()
            return self.budget_grid
        self.budget_grid = BudgetGridDialog(self.workspace, self.editor, self)
        self.budget_grid.show()
        return self.budget_grid

    def _reap_file_workers(self) -> None:
        for worker in list(self._file_workers):
            if worker.is_ended:
                worker.wait()
                self._file_workers.discard(worker)

    def _export_menu(self, menu: QMenu) -> None:
        """File → Export: the month shown on the Invoices page, in each format."""
        exports = menu.addMenu("&Export the month")
        for kind, (label, _suffix) in EXPORT_KINDS.items():
            exports.addAction(label + "…", lambda kind=kind: self._export(kind))

    def _export(self, kind: str) -> None:
        if self.invoices is None:
            QMessageBox.information(self, "Export", "Open or create a workspace first.")
            return
        self.show_page("invoices")
        self.invoices.choose_export(kind)

    def _show_welcome(self) -> None:
        self.nav.hide()
        self.toolbar.hide()
        self.stack.setCurrentWidget(self.welcome)
        self.statusBar().showMessage("No workspace open")

    def set_workspace(self, workspace: Workspace) -> None:
        """Show ``workspace`` (the previous one is closed)."""
        for page in self._pages().values():
            if page is not None:
                if hasattr(page, "wait_for_workers"):
                    page.wait_for_workers()
                self.stack.removeWidget(page)
                page.deleteLater()
        if self.wizard is not None:
            self.wizard.done(0)
            self.wizard = None
        if self.budget_grid is not None:
            self.budget_grid.done(0)
            self.budget_grid = None
        if self.editor is not None:
            self.editor.wait_for_workers()
            self.editor.deleteLater()
        if self.history is not None:
            self.history.hide()
        if self.workspace is not None:
            self.workspace.dispose()
        self.workspace = workspace
        self.editor = PolicyEditor(workspace, self)
        self.editor.changed.connect(self._policy_changed)
        self.editor.refused.connect(self._edit_refused)
        # Bound methods, not lambdas: Qt drops them with the window, before the stack is gone.
        self.editor.busy_changed.connect(self._update_edit_actions)
        self.editor.undo_stack.indexChanged.connect(self._update_edit_actions)
        self._update_edit_actions()
        self.dashboard = DashboardPage(DashboardPresenter(workspace))
        self.imports = ImportsPage(ImportsPresenter(workspace))
        self.invoices = InvoicesPage(InvoicesPresenter(workspace))
        self.budgets = BudgetsPage(BudgetsPresenter(workspace))
        self.insights = InsightsPage(InsightsPresenter(workspace))
        self.explore = ExplorePage(ExplorePresenter(workspace))
        self.unallocated = UnallocatedPage(UnallocatedPresenter(workspace), self.editor)
        self.rules = RulesPage(RulesPresenter(workspace), self.editor)
        self.audit = AuditPage(AuditPresenter(workspace))
        self.disputes = DisputesPage(DisputesPresenter(workspace))
        self.forecast = ForecastPage(ForecastPresenter(workspace))
        self.hygiene = HygienePage(HygienePresenter(workspace), self.editor)
        self.taxonomy = TaxonomyPage(TaxonomyPresenter(workspace), self.editor)
        self.pools = PoolsPage(PoolsPresenter(workspace), self.editor)
        self.reconciliation = ReconciliationPage(ReconciliationPresenter(workspace))
        self.prices = PricesPage(PricesPresenter(workspace), self.editor)
        self.explore.moved.connect(self._explored)
        self.dashboard.team_chosen.connect(self.explore_team)
        self.dashboard.team_month_chosen.connect(lambda month, team: self.explore_team(team, month))
        self.budgets.team_chosen.connect(self.explore_team)
        self.budgets.edit_requested.connect(self.edit_budgets)
        # Pages load when shown, on a worker; a change marks them all, and the one on screen
        # reloads at once.
        self.imports.imported.connect(self.workspace_changed)
        self.imports.wizard_requested.connect(self.open_import_wizard)
        self.invoices.workspace_changed.connect(self.workspace_changed)
        self.disputes.workspace_changed.connect(self.workspace_changed)
        self.workspace_changed.connect(self._workspace_changed)
        self.stack.addWidget(self.dashboard)
        self.stack.addWidget(self.explore)
        self.stack.addWidget(self.invoices)
        self.stack.addWidget(self.disputes)
        self.stack.addWidget(self.forecast)
        self.stack.addWidget(self.hygiene)
        self.stack.addWidget(self.budgets)
        self.stack.addWidget(self.insights)
        self.stack.addWidget(self.imports)
        self.stack.addWidget(self.unallocated)
        self.stack.addWidget(self.rules)
        self.stack.addWidget(self.audit)
        self.stack.addWidget(self.taxonomy)
        self.stack.addWidget(self.pools)
        self.stack.addWidget(self.reconciliation)
        self.stack.addWidget(self.prices)
        self.nav.blockSignals(True)
        self.nav.clear()
        self.nav.addItems([page.title for page in PAGES])
        self.nav.blockSignals(False)
        self.nav.show()
        self.toolbar.show()
        self.navigator.clear()
        shared = f" (shared: {workspace.label})" if workspace.shared else ""
        self.setWindowTitle(f"{workspace.name}{shared} — Chargeback Desk")
        self.statusBar().showMessage(workspace.location)
        self._show_rights(workspace)
        self.show_page(self._last_page())
        if self.remember:
            remember_workspace(workspace.location)

    def _show_rights(self, workspace: Workspace) -> None:
        """For a read-only workspace, grey what would change it and say why, on every page
        and in the menus; otherwise make those usable again."""
        writes = ("_import_files", "choose_policy_file")
        if not workspace.read_only:
            self.read_only_banner.hide()
            for name in writes:
                self.file_actions[name].setEnabled(True)
                self.file_actions[name].setToolTip("")
                self.file_actions[name].setStatusTip("")
            return
        reason = workspace.read_only_reason or (
            f"{workspace.label} is read-only (file or folder permissions)"
        )
        who = f"role {workspace.role}" if workspace.role else "file permissions"
        self.read_only_banner.setText(f"Read-only ({who}): showback and exports only")
        self.read_only_banner.setToolTip(reason)
        self.read_only_banner.show()
        lock_actions(reason, [self.file_actions[name] for name in writes])
        for page in self._pages().values():
            if page is not None and hasattr(page, "write_controls"):
                WriteControlsLock(reason, page.write_controls(), page)
        self._update_edit_actions()

    def show_page(self, name: str) -> None:
        """Go to page ``name`` (a step of the history)."""
        if self.workspace is None or name not in PAGE_NAMES:
            return
        row = PAGE_NAMES.index(name)
        if self.nav.currentRow() == row:
            self._nav_changed(row)
        else:
            self.nav.setCurrentRow(row)

    def _last_page(self) -> str:
        """The page shown when the window last closed (the dashboard the first time)."""
        name = QSettings().value("window/page") if self.remember else None
        return name if name in PAGE_NAMES else "dashboard"

    @property
    def current_page_name(self) -> str | None:
        place = self.navigator.current
        return None if place is None else place.page

    def _pages(self) -> dict[str, QWidget | None]:
        """Every page of the open workspace by name (``None`` before one is open)."""
        return {
            "dashboard": self.dashboard,
            "explore": self.explore,
            "invoices": self.invoices,
            "disputes": self.disputes,
            "budgets": self.budgets,
            "forecast": self.forecast,
            "insights": self.insights,
            "imports": self.imports,
            "taxonomy": self.taxonomy,
            "unallocated": self.unallocated,
            "rules": self.rules,
            "pools": self.pools,
            "prices": self.prices,
            "reconciliation": self.reconciliation,
            "hygiene": self.hygiene,
            "audit": self.audit,
        }

    def _page_widget(self, name: str) -> QWidget | None:
        return self._pages().get(name)

    def _nav_changed(self, row: int) -> None:
        if 0 <= row < len(PAGE_NAMES):
            name = PAGE_NAMES[row]
            # Explore is entered at the level it shows, so Back can return to that level.
            detail = (
                self.explore.presenter.place_detail()
                if name == "explore" and self.explore is not None
                else ()
            )
            place = Place(name, detail)
            self.navigator.go(place)
            self._show_place(place)

    def _show_place(self, place: Place) -> None:
        widget = self._page_widget(place.page)
        if widget is None:
            return
        self.nav.blockSignals(True)
        self.nav.setCurrentRow(PAGE_NAMES.index(place.page))
        self.nav.blockSignals(False)
        self.stack.setCurrentWidget(widget)
        if place.page == "explore" and self.explore is not None and place.detail:
            self.explore.go_to(place.detail)
        if hasattr(widget, "ensure_loaded"):
            widget.ensure_loaded()
        self._update_history_actions()
        if self.remember:
            QSettings().setValue("window/page", place.page)

    def open_path(self, path: Path) -> bool:
        try:
            workspace = open_workspace(path)
        except WorkspaceError as exc:
            QMessageBox.warning(self, "Cannot open workspace", str(exc))
            return False
        self.set_workspace(workspace)
        return True

    def open_location(self, location: Path | str) -> None:
        """Open a workspace from the recent list or the command line: a file at once, a shared
        one through :meth:`open_shared` (connecting on a worker)."""
        if is_server_location(location):
            self.open_shared(str(location), connect=True)
        else:
            self.open_path(Path(location))

    def open_shared(self, url: str = "", connect: bool = False) -> SharedWorkspaceDialog:
        """File → Open shared workspace…; with ``connect``, connect to ``url`` at once."""
        if self.shared_dialog is not None:
            self.shared_dialog.done(0)
        dialog = SharedWorkspaceDialog(url if isinstance(url, str) else "", self)
        dialog.accepted.connect(lambda: self._shared_opened(dialog))
        self.shared_dialog = dialog
        dialog.open()
        if connect:
            dialog.connect_now()
        return dialog

    def _shared_opened(self, dialog: SharedWorkspaceDialog) -> None:
        if dialog.workspace is not None:
            self.set_workspace(dialog.workspace)
        if self.shared_dialog is dialog:
            self.shared_dialog = None

    def choose_workspace(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Open workspace", "", WORKSPACE_FILTER)
        if name:
            self.open_path(Path(name))

    def new_workspace(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, "New workspace", "workspace.cbdesk", WORKSPACE_FILTER
        )
        if not name:
            return
        path = Path(name) if name.endswith(".cbdesk") else Path(f"{name}.cbdesk")
        try:
            workspace = create_workspace(path)
        except WorkspaceError as exc:
            QMessageBox.warning(self, "Cannot create workspace", str(exc))
            return
        self.set_workspace(workspace)
        self.show_page("imports")

    def open_demo(self) -> None:
        from app.services.demo import ensure_demo_workspace

        self.statusBar().showMessage("Building the demo workspace…")
        self.open_path(ensure_demo_workspace())

    def _import_files(self) -> None:
        if self.workspace is None:
            QMessageBox.information(self, "Import", "Open or create a workspace first.")
            return
        self.open_import_wizard()

    def open_import_wizard(self, paths: list[Path] | None = None) -> ImportWizard | None:
        """The import wizard on the open workspace, with ``paths`` already chosen (dropped
        files); returned for tests."""
        if self.workspace is None:
            return None
        if self.wizard is not None and self.wizard.isVisible():
            if paths:
                self.wizard.files_page.add_paths(paths)
            self.wizard.raise_()
            return self.wizard
        self.show_page("imports")
        self.wizard = ImportWizard(self.workspace, paths, self)
        self.wizard.imported.connect(self.workspace_changed)
        self.wizard.imported.connect(self._imports_changed)
        self.wizard.open()
        return self.wizard

    def _imports_changed(self) -> None:
        if self.imports is not None:
            self.imports.dirty = True
            if self.stack.currentWidget() is self.imports:
                self.imports.ensure_loaded()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.imports is not None and event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        if self.workspace is not None and self.workspace.read_only:
            QMessageBox.information(
                self, "Import", self.workspace.read_only_reason or "The workspace is read-only."
            )
        elif self.imports is not None and paths:
            self.open_import_wizard(paths)
            event.acceptProposedAction()

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        if self.remember:
            QSettings().setValue("window/geometry", self.saveGeometry())
        if self.imports is not None and self.imports.worker is not None:
            self.imports.worker.cancel()
            self.imports.worker.wait()
        if self.wizard is not None:
            self.wizard.done(0)
        if self.budget_grid is not None:
            self.budget_grid.done(0)
        for page in self._pages().values():
            if page is not None:
                page.wait_for_workers()
        if self.editor is not None:
            self.editor.wait_for_workers()
        for worker in list(self._file_workers):
            worker.wait()
        if self.workspace is not None:
            self.workspace.dispose()
            self.workspace = None
        super().closeEvent(event)
