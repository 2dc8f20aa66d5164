"""File → Open shared workspace…: a workspace in a PostgreSQL database, by its address.

Connecting runs on a worker (a server may take seconds to answer, or not answer). The password
is asked only when the server wants one that ``~/.pgpass``, ``PGPASSWORD`` or a service file did
not give; it is kept in memory for this connection only, never written down.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.services.workspaces import (
    PasswordNeeded,
    Workspace,
    WorkspaceError,
    create_workspace,
    describe_database_error,
    is_server_location,
    open_workspace,
    password_in,
    server_label,
    without_password,
)
from app.ui.workers import TaskWorker

PLACEHOLDER = "postgresql://anna@finance-db.example.com:5432/chargeback"


class _AskPassword:
    """What a connection attempt gives back when the server wants a password."""


def _connect(url: str, password: str | None, create: bool):  # type: ignore[no-untyped-def]
    def task(_progress, _cancel):  # type: ignore[no-untyped-def]
        try:
            if create:
                return create_workspace(url, password=password)
            return open_workspace(url, password=password)
        except PasswordNeeded:
            return _AskPassword()
        except WorkspaceError:
            raise
        except Exception as exc:
            raise WorkspaceError(describe_database_error(exc) or str(exc)) from None

    return task


class SharedWorkspaceDialog(QDialog):
    """Asks for the address (and, when needed, the password); :attr:`workspace` once open."""

    def __init__(self, url: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Open shared workspace")
        self.setMinimumWidth(560)
        self.workspace: Workspace | None = None
        self.worker: TaskWorker | None = None
        layout = QVBoxLayout(self)
        intro = QLabel(
            "A workspace your finance team shares on a PostgreSQL server. Your administrator "
            "gives you its address; the password comes from your ~/.pgpass file when it holds "
            "it."
        )
        intro.setWordWrap(True)
        intro.setObjectName("pageNote")
        layout.addWidget(intro)
        form = QFormLayout()
        # A password in the address goes to the password field, never shown in clear.
        password = password_in(url) if is_server_location(url) else None
        self.address = QLineEdit(without_password(url) if password is not None else url)
        self.address.setPlaceholderText(PLACEHOLDER)
        self.address.textChanged.connect(self._address_changed)
        form.addRow("Server address:", self.address)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("only if the server asks; never saved")
        if password is not None:
            self.password.setText(password)
        form.addRow("Password:", self.password)
        layout.addLayout(form)
        self.create = QCheckBox("The database is empty: create the workspace in it")
        layout.addWidget(self.create)
        self.status = QLabel(" ")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.status)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.connect_now)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._address_changed()

    def _address_changed(self) -> None:
        text = self.address.text().strip()
        if text and not is_server_location(text):
            self._say("The address starts with postgresql:// (a file: File → Open workspace…).")
        else:
            self._say(" ")
        self._update_open()

    def _update_open(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Open).setEnabled(
            is_server_location(self.address.text()) and self.worker is None
        )

    def _say(self, text: str, warning: bool = False) -> None:
        self.status.setObjectName("warningNote" if warning else "pageNote")
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)
        self.status.setText(text)

    def connect_now(self) -> None:
        """Open (or create) the workspace at the address, on a worker."""
        url = self.address.text().strip()
        if not is_server_location(url) or self.worker is not None:
            return
        password = self.password.text() or None
        for widget in (self.address, self.password, self.create):
            widget.setEnabled(False)
        self.buttons.button(QDialogButtonBox.StandardButton.Open).setEnabled(False)
        self._say("Connecting…")
        self.worker = TaskWorker(_connect(url, password, self.create.isChecked()))
        self.worker.finished.connect(self._connected)
        self.worker.failed.connect(self._failed)
        self.worker.ended.connect(self._ended)
        self.worker.start()

    def _connected(self, result: object) -> None:
        if isinstance(result, _AskPassword):
            self._again(
                f"{server_label(self.address.text())} asks for a password: type it above. It "
                f"is used for this connection only and never saved."
            )
            self.password.setFocus()
            return
        assert isinstance(result, Workspace)
        self.workspace = result
        self.accept()

    def _failed(self, message: str) -> None:
        self._again(message)

    def _again(self, message: str) -> None:
        for widget in (self.address, self.password, self.create):
            widget.setEnabled(True)
        self._say(message, warning=True)

    def _ended(self) -> None:
        self.worker = None
        self._update_open()

    def done(self, result: int) -> None:
        worker = self.worker
        if worker is not None:  # cancelled while connecting: let it finish on its own
            worker.finished.disconnect(self._connected)
            worker.failed.disconnect(self._failed)
            worker.ended.disconnect(self._ended)
            worker.finished.connect(_dispose_if_opened)
            worker.ended.connect(lambda: _abandoned.discard(worker))
            _abandoned.add(worker)
            self.worker = None
        super().done(result)


_abandoned: set[TaskWorker] = set()
"""Connections given up on by the user, kept until their worker ends."""


def _dispose_if_opened(result: object) -> None:
    if isinstance(result, Workspace):
        result.dispose()
