"""File → Import policy…: the file's every problem, or its effect on the newest month team by
team and what else it replaces; Apply makes it a change that Edit → Undo takes back."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog, QLabel, QVBoxLayout, QWidget

from app.services.workspaces import Workspace
from app.ui.change_preview import ChangePreviewer
from app.ui.impact_panel import ImpactPanel
from app.ui.policy_editor import PolicyEditor
from app.ui.presentation.policy_file import import_task


class PolicyImportDialog(QDialog):
    """Prepares the import on a worker; closes when the change is made or discarded."""

    def __init__(
        self, workspace: Workspace, editor: PolicyEditor, path: Path, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Import policy — {path.name}")
        self.resize(720, 520)
        layout = QVBoxLayout(self)
        self.status = QLabel(f"Checking {path.name} and computing its effect…")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.panel = ImpactPanel()
        layout.addWidget(self.panel, 1)
        self.previewer = ChangePreviewer(editor, self.panel, lambda: None)
        self.previewer.shown.connect(self._shown)
        self.panel.discarded.connect(self.reject)
        self.panel.apply_requested.connect(self._applying)
        self._expected = ""
        editor.changed.connect(self._made)
        self.previewer.prepare(import_task(workspace, path))

    def _shown(self) -> None:
        self.status.setText(
            "Like config apply, this replaces the policy, budgets, price overrides and "
            "discounts, and the provider totals the file gives."
            if self.panel.presenter.can_apply
            else "Nothing was changed."
        )

    def _applying(self) -> None:
        pending = self.previewer.pending
        self._expected = "" if pending is None else f"Made “{pending.description}”"

    def _made(self, what: str) -> None:
        """Close once this import is made (not on another change, an undo say)."""
        if self._expected and what == self._expected and self.isVisible():
            self.accept()

    def done(self, result: int) -> None:
        self.previewer.wait_for_workers()
        super().done(result)
