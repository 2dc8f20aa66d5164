"""The Disputes page's dialogs: record a team lead's dispute of a closed line, accept it
(to a team or Unallocated, in full or in part) or reject it with a reason. Each saves on a
worker; a refusal is shown in the dialog, which stays open with what was typed."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from app.services.disputes import Dispute
from app.ui.presentation.disputes import DisputesPresenter
from app.ui.presentation.formatting import money
from app.ui.workers import WorkerSet


class _SavingDialog(QDialog):
    """A form whose OK runs a task on a worker: closes with its message, or shows the
    refusal and stays open."""

    def __init__(self, title: str, ok_text: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        self.workers = WorkerSet()
        self.message = ""
        self.form = QFormLayout(self)
        self.problem = QLabel()
        self.problem.setObjectName("warningNote")
        self.problem.setWordWrap(True)
        self.problem.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(ok_text)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

    def finish_form(self) -> None:
        self.form.addRow(self.problem)
        self.form.addRow(self.buttons)

    def task(self) -> Callable[[], str]:
        raise NotImplementedError

    def save(self) -> None:
        # Nothing closes the dialog while it saves: a change made after it closed would go
        # unseen.
        self.buttons.setEnabled(False)
        self.ok.setEnabled(False)
        self.problem.hide()
        self.workers.start(self.task(), self._saved, self._refused)

    def _saved(self, message: object) -> None:
        self.message = str(message)
        self.accept()

    def _refused(self, message: str) -> None:
        self.problem.setText(message)
        self.problem.show()
        self.adjustSize()
        self.buttons.setEnabled(True)
        self.ok.setEnabled(True)

    def reject(self) -> None:
        if self.workers.running:
            return  # saving: its outcome is shown when it ends
        super().reject()

    def done(self, result: int) -> None:
        self.workers.wait(30_000)
        super().done(result)


def _reason_box(placeholder: str) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setPlaceholderText(placeholder)
    box.setFixedHeight(70)
    return box


class RecordDisputeDialog(_SavingDialog):
    """Month (closed), team, the line (with its amount), the amount contested, who raised it
    and why."""

    def __init__(self, presenter: DisputesPresenter, parent: QWidget | None = None) -> None:
        super().__init__("Record a dispute", "Record dispute", parent)
        self.presenter = presenter
        self.month = QComboBox()
        for label, month in presenter.record_months():
            self.month.addItem(label, month)
        self.team = QComboBox()
        self.line = QComboBox()
        self.amount = QLineEdit()
        self.amount.setPlaceholderText("e.g. 120.00")
        self.raised_by = QLineEdit()
        self.raised_by.setPlaceholderText("e.g. Dana Whitfield (Web lead)")
        self.reason = _reason_box("What the team lead says is wrong with the charge")
        intro = QLabel(
            "A team lead contests a charge on a closed statement or invoice. Nothing moves "
            "until the dispute is accepted."
        )
        intro.setWordWrap(True)
        self.form.addRow(intro)
        self.form.addRow("Month:", self.month)
        self.form.addRow("Team:", self.team)
        self.form.addRow("Line:", self.line)
        self.form.addRow("Amount contested:", self.amount)
        self.form.addRow("Raised by:", self.raised_by)
        self.form.addRow("Reason:", self.reason)
        self.finish_form()
        self.month.currentIndexChanged.connect(self._month_chosen)
        self.team.currentIndexChanged.connect(self._team_chosen)
        self.line.currentIndexChanged.connect(self._line_chosen)
        self._month_chosen()

    def _month_chosen(self, *_args: object) -> None:
        self.team.blockSignals(True)
        self.team.clear()
        self.team.addItems(self.presenter.record_teams(self.month.currentData() or ""))
        self.team.blockSignals(False)
        self._team_chosen()

    def _team_chosen(self, *_args: object) -> None:
        self.line.blockSignals(True)
        self.line.clear()
        for line in self.presenter.record_lines(
            self.month.currentData() or "", self.team.currentText()
        ):
            self.line.addItem(f"{line.label} — {money_text(line.amount)}", line)
        self.line.blockSignals(False)
        self._line_chosen()

    def _line_chosen(self, *_args: object) -> None:
        line = self.line.currentData()
        self.amount.setText(line.left if line is not None else "")
        self.ok.setEnabled(line is not None)

    def task(self) -> Callable[[], str]:
        line = self.line.currentData()
        return self.presenter.record_task(
            self.month.currentData() or "",
            self.team.currentText(),
            line.label if line is not None else "",
            self.amount.text(),
            self.raised_by.text(),
            self.reason.toPlainText(),
        )


def money_text(amount: str) -> str:
    return money(Decimal(amount))


class AcceptDisputeDialog(_SavingDialog):
    """Who is charged instead (a team, or Unallocated), how much of it, and why."""

    def __init__(
        self, presenter: DisputesPresenter, dispute: Dispute, parent: QWidget | None = None
    ) -> None:
        super().__init__(f"Accept {dispute.code}", "Accept", parent)
        self.presenter, self.dispute = presenter, dispute
        if dispute.showback:
            what = (
                f"{dispute.document_number} is a showback statement: it charged nothing, so "
                f"accepting records the decision and no money moves."
            )
        else:
            what = (
                f"{dispute.team} is credited on its next open month, and the team named below "
                f"(or Unallocated) is charged the same amount. Closed documents never change."
            )
        intro = QLabel(
            f"{dispute.team} contests {money_text(dispute.amount)} of {dispute.line_label} "
            f"on {dispute.document_number}. {what}"
        )
        intro.setWordWrap(True)
        self.move_to = QComboBox()
        self.move_to.addItems(presenter.targets_for(dispute))
        self.amount = QLineEdit(dispute.amount)
        self.reason = _reason_box("Why it is accepted (optional)")
        self.form.addRow(intro)
        self.form.addRow("Charge instead:", self.move_to)
        self.form.addRow("Amount accepted:", self.amount)
        self.form.addRow("Reason:", self.reason)
        self.finish_form()

    def task(self) -> Callable[[], str]:
        return self.presenter.accept_task(
            self.dispute, self.move_to.currentText(), self.amount.text(), self.reason.toPlainText()
        )


class RejectDisputeDialog(_SavingDialog):
    """The reason the team lead will read."""

    def __init__(
        self, presenter: DisputesPresenter, dispute: Dispute, parent: QWidget | None = None
    ) -> None:
        super().__init__(f"Reject {dispute.code}", "Reject", parent)
        self.presenter, self.dispute = presenter, dispute
        intro = QLabel(
            f"{dispute.team} contests {money_text(dispute.amount)} of {dispute.line_label} on "
            f"{dispute.document_number}. The charge stands; the reason is kept with the dispute."
        )
        intro.setWordWrap(True)
        self.reason = _reason_box("Why the charge stands (required)")
        self.form.addRow(intro)
        self.form.addRow("Reason:", self.reason)
        self.finish_form()

    def task(self) -> Callable[[], str]:
        return self.presenter.reject_task(self.dispute, self.reason.toPlainText())
