"""The main window: navigation, pages of the open workspace, menus, drag and drop of files."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtGui import QAction, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from app.services.workspaces import (
    Workspace,
    WorkspaceError,
    create_workspace,
    open_workspace,
    remember_workspace,
)
from app.ui.budgets_page import BudgetsPage
from app.ui.dashboard_page import DashboardPage
from app.ui.imports_page import ImportsPage
from app.ui.invoices_page import InvoicesPage
from app.ui.presentation.budgets import BudgetsPresenter
from app.ui.presentation.dashboard import DashboardPresenter
from app.ui.presentation.imports import ImportsPresenter
from app.ui.presentation.invoices import InvoicesPresenter
from app.ui.welcome import WelcomeView
from app.ui.widgets import STYLE

log = logging.getLogger(__name__)

PAGES = ("dashboard", "invoices", "budgets", "imports")
PAGE_TITLES = {
    "dashboard": "Dashboard",
    "invoices": "Invoices",
    "budgets": "Budgets",
    "imports": "Imports",
}
WORKSPACE_FILTER = "Chargeback Desk workspaces (*.cbdesk);;All files (*)"


class MainWindow(QMainWindow):
    """Holds one workspace at a time (or the welcome view)."""

    def __init__(self, remember: bool = True) -> None:
        super().__init__()
        self.remember = remember
        self.workspace: Workspace | None = None
        self.dashboard: DashboardPage | None = None
        self.imports: ImportsPage | None = None
        self.invoices: InvoicesPage | None = None
        self.budgets: BudgetsPage | None = None
        self.setWindowTitle("Chargeback Desk")
        self.setStyleSheet(STYLE)
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
        self.welcome.demo_requested.connect(self.open_demo)
        self.stack.addWidget(self.welcome)
        self.nav.currentRowChanged.connect(self._nav_changed)
        self._menus()
        self._show_welcome()

    def _menus(self) -> None:
        menu = self.menuBar().addMenu("&File")
        for text, shortcut, slot in (
            ("&New workspace…", QKeySequence.StandardKey.New, self.new_workspace),
            ("&Open workspace…", QKeySequence.StandardKey.Open, self.choose_workspace),
            ("Open the &demo workspace", None, self.open_demo),
            ("&Import files…", QKeySequence("Ctrl+I"), self._import_files),
            ("&Quit", QKeySequence.StandardKey.Quit, self.close),
        ):
            action = QAction(text, self)
            if shortcut is not None:
                action.setShortcut(shortcut)
            action.triggered.connect(slot)
            menu.addAction(action)

    def _show_welcome(self) -> None:
        self.nav.hide()
        self.stack.setCurrentWidget(self.welcome)
        self.statusBar().showMessage("No workspace open")

    def set_workspace(self, workspace: Workspace) -> None:
        """Show ``workspace`` (the previous one is closed)."""
        for page in (self.dashboard, self.invoices, self.budgets, self.imports):
            if page is not None:
                self.stack.removeWidget(page)
                page.deleteLater()
        if self.workspace is not None:
            self.workspace.dispose()
        self.workspace = workspace
        self.dashboard = DashboardPage(DashboardPresenter(workspace))
        self.imports = ImportsPage(ImportsPresenter(workspace))
        self.invoices = InvoicesPage(InvoicesPresenter(workspace))
        self.budgets = BudgetsPage(BudgetsPresenter(workspace))
        self.imports.imported.connect(self.budgets.reload)
        self.imports.imported.connect(self.dashboard.reload)
        self.imports.imported.connect(self.invoices.reload)
        self.stack.addWidget(self.dashboard)
        self.stack.addWidget(self.invoices)
        self.stack.addWidget(self.budgets)
        self.stack.addWidget(self.imports)
        self.nav.blockSignals(True)
        self.nav.clear()
        self.nav.addItems([PAGE_TITLES[p] for p in PAGES])
        self.nav.blockSignals(False)
        self.nav.show()
        self.setWindowTitle(f"{workspace.name} — Chargeback Desk")
        self.statusBar().showMessage(str(workspace.path))
        self.show_page("dashboard")
        if self.remember:
            remember_workspace(workspace.path)

    def show_page(self, name: str) -> None:
        if self.workspace is None or name not in PAGES:
            return
        self.nav.setCurrentRow(PAGES.index(name))

    def _nav_changed(self, row: int) -> None:
        pages = {
            "dashboard": self.dashboard,
            "invoices": self.invoices,
            "budgets": self.budgets,
            "imports": self.imports,
        }
        if 0 <= row < len(PAGES) and pages[PAGES[row]] is not None:
            self.stack.setCurrentWidget(pages[PAGES[row]])

    def open_path(self, path: Path) -> bool:
        try:
            workspace = open_workspace(path)
        except WorkspaceError as exc:
            QMessageBox.warning(self, "Cannot open workspace", str(exc))
            return False
        self.set_workspace(workspace)
        return True

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
        if self.imports is None:
            QMessageBox.information(self, "Import", "Open or create a workspace first.")
            return
        self.show_page("imports")
        self.imports.choose_files()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.imports is not None and event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        if self.imports is not None and paths:
            self.show_page("imports")
            self.imports.start_import(paths)
            event.acceptProposedAction()

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        if self.imports is not None and self.imports.worker is not None:
            self.imports.worker.cancel()
            self.imports.worker.wait()
        if self.workspace is not None:
            self.workspace.dispose()
            self.workspace = None
        super().closeEvent(event)
