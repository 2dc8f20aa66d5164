"""The form of one mapping rule: conditions (field and pattern), how patterns match, what the
rule sets, its months and its name. It flags a wrong field while the rule is typed, and hands
the rule back as a :class:`RuleForm` (Qt-free)."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.policy import MATCH_KINDS
from app.ui.presentation.rules import MATCH_HELP, RuleForm

NOT_SET = "(not set)"
CONDITION_ROWS_SHOWN = 2


def _choices(combo: QComboBox, names: list[str], current: str, editable: bool = False) -> None:
    combo.blockSignals(True)
    combo.clear()
    combo.setEditable(editable)
    combo.addItem(NOT_SET)
    combo.addItems(names)
    if current and current not in names:
        combo.addItem(current)
    combo.setCurrentText(current or NOT_SET)
    combo.blockSignals(False)


def _chosen(combo: QComboBox) -> str:
    text = combo.currentText().strip()
    return "" if text == NOT_SET else text


class RuleFormView(QWidget):
    """Edits one rule; ``edited`` after each change (checked a moment later)."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.fields: list[str] = []
        self.position: int | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.heading = QLabel()
        self.heading.setObjectName("sectionTitle")
        layout.addWidget(self.heading)
        self.conditions = QTableWidget(0, 2)
        self.conditions.setHorizontalHeaderLabels(["Field", "Pattern"])
        self.conditions.horizontalHeader().setStretchLastSection(True)
        self.conditions.verticalHeader().setVisible(False)
        self.conditions.setColumnWidth(0, 150)
        self.conditions.setFixedHeight(32 + 30 * CONDITION_ROWS_SHOWN)
        self.conditions.setToolTip("Every condition must hold for the rule to match a line")
        layout.addWidget(self.conditions)
        buttons = QHBoxLayout()
        self.add_condition = QPushButton("+ Condition")
        self.add_condition.clicked.connect(lambda: self._add_condition("api_key", ""))
        self.remove_condition = QPushButton("− Condition")
        self.remove_condition.clicked.connect(self._remove_condition)
        buttons.addWidget(self.add_condition)
        buttons.addWidget(self.remove_condition)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        grid = QGridLayout()
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(6)
        self.match = QComboBox()
        for kind in MATCH_KINDS:
            self.match.addItem(kind)
            self.match.setItemData(
                self.match.count() - 1, MATCH_HELP[kind], Qt.ItemDataRole.ToolTipRole
            )
        self.team = QComboBox()
        self.product = QComboBox()
        self.environment = QComboBox()
        self.valid_from = QLineEdit()
        self.valid_from.setPlaceholderText("from YYYY-MM")
        self.valid_from.setToolTip("The first month the rule applies to (empty: from the start)")
        self.valid_to = QLineEdit()
        self.valid_to.setPlaceholderText("to YYYY-MM")
        self.valid_to.setToolTip("The last month the rule applies to (empty: no end)")
        self.label = QLineEdit()
        self.label.setPlaceholderText("optional; invoice trails show it")
        for row, pairs in enumerate(
            (
                (("Match:", self.match), ("Team:", self.team)),
                (("Product:", self.product), ("Environment:", self.environment)),
                (("Months:", self.valid_from), ("to", self.valid_to)),
                (("Name:", self.label),),
            )
        ):
            for column, (text, widget) in enumerate(pairs):
                grid.addWidget(QLabel(text), row, column * 2)
                span = 3 if len(pairs) == 1 else 1
                grid.addWidget(widget, row, column * 2 + 1, 1, span)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        layout.addLayout(grid)
        self.problems = QLabel()
        self.problems.setWordWrap(True)
        self.problems.setObjectName("problems")
        self.problems.setStyleSheet("color: #b03a2e;")
        layout.addWidget(self.problems)
        self._check = QTimer(self)
        self._check.setSingleShot(True)
        self._check.setInterval(150)
        self._check.timeout.connect(self.edited)
        for combo in (self.match, self.team, self.product, self.environment):
            combo.currentTextChanged.connect(self._changed)
        for line in (self.valid_from, self.valid_to, self.label):
            line.textChanged.connect(self._changed)
        self.conditions.cellChanged.connect(self._changed)

    def _changed(self, *_args: object) -> None:
        self._check.start()

    def _add_condition(self, field: str, pattern: str) -> None:
        row = self.conditions.rowCount()
        self.conditions.insertRow(row)
        chooser = QComboBox()
        chooser.setEditable(True)
        chooser.addItems(self.fields)
        chooser.setCurrentText(field)
        chooser.currentTextChanged.connect(self._changed)
        self.conditions.setCellWidget(row, 0, chooser)
        editor = QLineEdit(pattern)
        editor.setPlaceholderText("value or pattern")
        editor.textChanged.connect(self._changed)
        self.conditions.setCellWidget(row, 1, editor)
        self._changed()

    def _remove_condition(self) -> None:
        row = self.conditions.currentRow()
        if row < 0:
            row = self.conditions.rowCount() - 1
        if row >= 0 and self.conditions.rowCount() > 1:
            self.conditions.removeRow(row)
            self._changed()

    def show_form(
        self,
        form: RuleForm,
        fields: list[str],
        teams: list[str],
        products: list[str],
        environments: list[str],
    ) -> None:
        """Fill the widgets from ``form`` with these choices."""
        self.fields = fields
        self.position = form.position
        self.heading.setText(
            "New rule (added after the others)"
            if form.position is None
            else f"Rule {form.position}"
        )
        self.conditions.setRowCount(0)
        for field, pattern in form.conditions or [("api_key", "")]:
            self._add_condition(field, pattern)
        self.match.setCurrentText(form.match)
        _choices(self.team, teams, form.team)
        _choices(self.product, products, form.product, editable=not products)
        _choices(self.environment, environments, form.environment, editable=not environments)
        for line, text in (
            (self.valid_from, form.valid_from),
            (self.valid_to, form.valid_to),
            (self.label, form.label),
        ):
            line.blockSignals(True)
            line.setText(text)
            line.blockSignals(False)
        self.problems.clear()
        self._check.stop()  # a rule just shown is not checked until it is changed

    def form(self) -> RuleForm:
        """The rule as typed."""
        conditions = []
        for row in range(self.conditions.rowCount()):
            chooser = self.conditions.cellWidget(row, 0)
            editor = self.conditions.cellWidget(row, 1)
            assert isinstance(chooser, QComboBox) and isinstance(editor, QLineEdit)
            conditions.append((chooser.currentText().strip(), editor.text()))
        return RuleForm(
            conditions,
            self.match.currentText(),
            _chosen(self.team),
            _chosen(self.product),
            _chosen(self.environment),
            self.valid_from.text().strip(),
            self.valid_to.text().strip(),
            self.label.text().strip(),
            self.position,
        )

    def show_problems(self, problems: list[str]) -> None:
        self.problems.setText("\n".join(f"⚠ {p}" for p in problems))
