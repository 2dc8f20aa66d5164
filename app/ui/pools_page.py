"""The Pools and settings page: shared-cost pools in order (method, targets, weights with a
live 100 % check for fixed percentages), the settings (overhead, true-up, unallocated cost,
budget warning, GL accounts) and the provider's invoice totals per month — every change
previewed team by team on the newest month and undone from the Edit menu."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.policy import POOL_METHODS
from app.ui.change_preview import ChangePreviewer
from app.ui.impact_panel import ImpactPanel
from app.ui.loaded_page import LoadedPage
from app.ui.policy_editor import PolicyEditor
from app.ui.presentation.pools import (
    METHOD_WORDS,
    TRUE_UP_WORDS,
    UNALLOCATED_WORDS,
    PoolForm,
    PoolsLoad,
    PoolsPresenter,
    weight_check,
)
from app.ui.rates_tab import RatesTab
from app.ui.widgets import FinanceTable


def _combo(words: dict[str, str]) -> QComboBox:
    combo = QComboBox()
    for value, text in words.items():
        combo.addItem(text, value)
    return combo


class PoolsPage(LoadedPage):
    """A thin view over :class:`PoolsPresenter`; changes go through the editor."""

    def __init__(
        self, presenter: PoolsPresenter, editor: PolicyEditor, parent: QWidget | None = None
    ) -> None:
        super().__init__("Pools and settings", parent)
        self.presenter = presenter
        self.position: int | None = None
        layout = self.body
        self.tabs = QTabWidget()
        self.tabs.addTab(self._pools_tab(), "Pools")
        self.tabs.addTab(self._settings_tab(), "Settings")
        self.tabs.addTab(self._totals_tab(), "Provider totals")
        self.rates = RatesTab(presenter.workspace)
        self.tabs.addTab(self.rates, "Exchange rates")
        layout.addWidget(self.tabs, 3)
        self.panel = ImpactPanel()
        layout.addWidget(self.panel, 2)
        self.previewer = ChangePreviewer(editor, self.panel, lambda: self.presenter.period)
        self.previewer.busy_changed.connect(self.busy.setVisible)

    def write_controls(self) -> list[QWidget]:
        """The controls that change the workspace (greyed for a read-only workspace)."""
        pools = [self.new_pool_button, *self.rates.write_controls(), self.up_button]
        pools.append(self.save_pool_button)
        totals = [self.save_settings_button, self.remove_total_button, self.save_total_button]
        return [*pools, self.delete_pool_button, *totals, self.panel.apply_button]

    # Pools ------------------------------------------------------------------------------
    def _pools_tab(self) -> QWidget:
        tab = QWidget()
        row = QHBoxLayout(tab)
        left = QVBoxLayout()
        note = QLabel(
            "A pool is a team whose whole cost is shared among other teams; pools are shared "
            "in this order, so a pool may pass cost on to a later one."
        )
        note.setWordWrap(True)
        note.setObjectName("pageNote")
        left.addWidget(note)
        self.pool_table = FinanceTable(self.presenter.pools, stretch_column=3, stretch_minimum=140)
        self.pool_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.pool_table.selectionModel().selectionChanged.connect(self._pool_chosen)
        left.addWidget(self.pool_table, 1)
        row.addLayout(left, 1)
        form_box = QWidget()
        form_box.setMaximumWidth(360)
        form = QVBoxLayout(form_box)
        form.setContentsMargins(6, 0, 0, 0)
        self.pool_title = QLabel("New pool")
        self.pool_title.setObjectName("sectionTitle")
        form.addWidget(self.pool_title)
        grid = QFormLayout()
        self.pool_team = QComboBox()
        self.pool_team.currentTextChanged.connect(self._pool_team_changed)
        self.method = QComboBox()
        for method in POOL_METHODS:
            self.method.addItem(method, method)
        self.method.currentIndexChanged.connect(self._method_changed)
        self.method_words = QLabel()
        self.method_words.setWordWrap(True)
        self.method_words.setObjectName("pageNote")
        grid.addRow("Pool (team):", self.pool_team)
        grid.addRow("Shared:", self.method)
        grid.addRow("", self.method_words)
        form.addLayout(grid)
        form.addWidget(QLabel("Among (none ticked: every team):"))
        self.targets = QListWidget()
        self.targets.itemChanged.connect(self._targets_changed)
        form.addWidget(self.targets, 1)
        self.weights = QTableWidget(0, 2)
        self.weights.setHorizontalHeaderLabels(["Team", "Weight / %"])
        self.weights.horizontalHeader().setStretchLastSection(True)
        self.weights.verticalHeader().setVisible(False)
        self.weights.itemChanged.connect(self._weights_changed)
        form.addWidget(self.weights, 1)
        self.weight_total = QLabel()
        form.addWidget(self.weight_total)
        buttons = QHBoxLayout()
        self.new_pool_button = QPushButton("New pool")
        self.new_pool_button.clicked.connect(self.new_pool)
        self.save_pool_button = QPushButton("Save…")
        self.save_pool_button.clicked.connect(self.save_pool)
        buttons.addWidget(self.new_pool_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_pool_button)
        form.addLayout(buttons)
        buttons = QHBoxLayout()
        self.up_button = QPushButton("Move up")
        self.up_button.clicked.connect(lambda: self._move(-1))
        self.delete_pool_button = QPushButton("Delete…")
        self.delete_pool_button.clicked.connect(self.delete_pool)
        buttons.addWidget(self.up_button)
        buttons.addStretch(1)
        buttons.addWidget(self.delete_pool_button)
        form.addLayout(buttons)
        row.addWidget(form_box)
        return tab

    def _method_changed(self, *_args: object) -> None:
        method = self.method.currentData() or "proportional"
        self.method_words.setText(METHOD_WORDS[method])
        self.weights.setVisible(method in ("fixed", "weighted"))
        self._fill_weights(self._weights())
        self._check_weights()

    def _ticked(self) -> list[str]:
        return [
            self.targets.item(i).text()
            for i in range(self.targets.count())
            if self.targets.item(i).checkState() == Qt.CheckState.Checked
        ]

    def _targets_changed(self, *_args: object) -> None:
        self._fill_weights(self._weights())
        self._check_weights()

    def _weights(self) -> dict[str, str]:
        found = {}
        for row in range(self.weights.rowCount()):
            team, weight = self.weights.item(row, 0), self.weights.item(row, 1)
            if team is not None:
                found[team.text()] = "" if weight is None else weight.text()
        return found

    def _fill_weights(self, weights: dict[str, str]) -> None:
        team = self.pool_team.currentText()
        names = self._ticked() or [t for t in self.presenter.teams if t != team]
        self.weights.blockSignals(True)
        self.weights.setRowCount(0)
        for row, name in enumerate(names):
            self.weights.insertRow(row)
            item = QTableWidgetItem(name)
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.weights.setItem(row, 0, item)
            self.weights.setItem(row, 1, QTableWidgetItem(weights.get(name, "")))
        self.weights.blockSignals(False)

    def _weights_changed(self, *_args: object) -> None:
        self._check_weights()

    def _check_weights(self) -> None:
        text, fine = weight_check(self.pool_form())
        self.weight_total.setText(text)
        self.weight_total.setStyleSheet("" if fine else "color: #b03a2e;")
        self.save_pool_button.setEnabled(fine and bool(self.pool_team.currentText()))

    def pool_form(self) -> PoolForm:
        return PoolForm(
            self.pool_team.currentText(),
            self.method.currentData() or "proportional",
            self._ticked(),
            self._weights(),
            self.position,
        )

    def _fill_targets(self, ticked: list[str]) -> None:
        """Every team but the pool's own (a pool cannot share with itself)."""
        team = self.pool_team.currentText()
        self.targets.blockSignals(True)
        self.targets.clear()
        for name in self.presenter.teams:
            if name == team:
                continue
            item = QListWidgetItem(name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            checked = name in ticked
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self.targets.addItem(item)
        self.targets.blockSignals(False)

    def _pool_team_changed(self, *_args: object) -> None:
        self._fill_targets(self._ticked())
        self._fill_weights(self._weights())
        self._check_weights()

    def _show_pool(self, form: PoolForm) -> None:
        self.position = form.position
        self.pool_title.setText(f"Pool {form.position}" if form.position else "New pool")
        self.pool_team.blockSignals(True)
        self.pool_team.clear()
        self.pool_team.addItems(self.presenter.teams)
        self.pool_team.setCurrentText(form.team)
        self.pool_team.blockSignals(False)
        self._fill_targets(form.targets)
        self.method.blockSignals(True)
        self.method.setCurrentIndex(max(self.method.findData(form.method), 0))
        self.method.blockSignals(False)
        self._fill_weights(form.weights)
        self._method_changed()
        self.up_button.setEnabled(bool(form.position and form.position > 1))
        self.delete_pool_button.setEnabled(form.position is not None)

    def _pool_chosen(self, *_args: object) -> None:
        rows = self.pool_table.selected_rows()
        if rows and rows[0] < len(self.presenter.pool_list):
            self.previewer.discard()
            self._show_pool(self.presenter.form_at(rows[0]))

    def select_pool(self, row: int) -> None:
        self.pool_table.selectionModel().select(
            self.pool_table.model().index(row, 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )

    def new_pool(self) -> None:
        self.pool_table.clearSelection()
        self._show_pool(self.presenter.form_at(-1))

    def save_pool(self) -> None:
        self.previewer.prepare(self.presenter.save_pool_task(self.pool_form()))

    def delete_pool(self) -> None:
        if self.position is not None:
            self.previewer.prepare(self.presenter.delete_pool_task(self.position))

    def _move(self, delta: int) -> None:
        if self.position is not None:
            self.previewer.prepare(
                self.presenter.move_pool_task(self.position, self.position + delta)
            )

    # Settings ---------------------------------------------------------------------------
    def _settings_tab(self) -> QWidget:
        tab = QWidget()
        outer = QVBoxLayout(tab)
        form = QFormLayout()
        self.overhead = QLineEdit()
        self.overhead.setPlaceholderText("% of each team's usage, e.g. 10")
        self.true_up = _combo(TRUE_UP_WORDS)
        self.unallocated = _combo(UNALLOCATED_WORDS)
        self.warn = QLineEdit()
        self.warn.setPlaceholderText("% of budget, e.g. 80")
        self.expense = QLineEdit()
        self.clearing = QLineEdit()
        self.go_live = QLineEdit()
        self.go_live.setPlaceholderText("YYYY-MM; earlier months are showback")
        self.functional = QLineEdit()
        self.functional.setPlaceholderText("e.g. EUR; empty: USD only")
        for label, widget in (
            ("Platform overhead (%):", self.overhead),
            ("True-up to the provider's invoice:", self.true_up),
            ("Unallocated cost:", self.unallocated),
            ("Budget warning at (% of budget):", self.warn),
            ("GL expense account:", self.expense),
            ("GL clearing account:", self.clearing),
            ("Chargeback from (go-live month):", self.go_live),
            ("Company currency:", self.functional),
        ):
            form.addRow(label, widget)
        outer.addLayout(form)
        row = QHBoxLayout()
        row.addStretch(1)
        self.save_settings_button = QPushButton("Save settings…")
        self.save_settings_button.clicked.connect(self.save_settings)
        row.addWidget(self.save_settings_button)
        outer.addLayout(row)
        outer.addStretch(1)
        return tab

    def settings_values(self) -> dict[str, str]:
        return {
            "overhead_rate": self.overhead.text(),
            "true_up": self.true_up.currentData(),
            "unallocated": self.unallocated.currentData(),
            "warn_threshold": self.warn.text(),
            "expense_account": self.expense.text().strip(),
            "clearing_account": self.clearing.text().strip(),
            "go_live": self.go_live.text().strip(),
            "functional_currency": self.functional.text().strip().upper(),
        }

    def save_settings(self) -> None:
        self.previewer.prepare(self.presenter.settings_task(self.settings_values()))

    # Provider totals --------------------------------------------------------------------
    def _totals_tab(self) -> QWidget:
        tab = QWidget()
        row = QHBoxLayout(tab)
        self.totals_table = FinanceTable(self.presenter.totals, stretch_column=2)
        self.totals_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.totals_table.selectionModel().selectionChanged.connect(self._total_chosen)
        row.addWidget(self.totals_table, 1)
        box = QWidget()
        box.setMaximumWidth(360)
        form = QFormLayout(box)
        self.total_month = QLineEdit()
        self.total_month.setPlaceholderText("YYYY-MM")
        self.total_amount = QLineEdit()
        self.total_amount.setPlaceholderText("USD, as invoiced")
        self.total_number = QLineEdit()
        self.total_number.setPlaceholderText("optional")
        form.addRow("Month:", self.total_month)
        form.addRow("Total:", self.total_amount)
        form.addRow("Invoice number:", self.total_number)
        buttons = QHBoxLayout()
        self.remove_total_button = QPushButton("Remove…")
        self.remove_total_button.clicked.connect(self.remove_total)
        self.save_total_button = QPushButton("Save…")
        self.save_total_button.clicked.connect(self.save_total)
        buttons.addWidget(self.remove_total_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_total_button)
        form.addRow(buttons)
        row.addWidget(box)
        return tab

    def _total_chosen(self, *_args: object) -> None:
        rows = self.totals_table.selected_rows()
        if rows and rows[0] < len(self.presenter.total_values):
            month, total, number = self.presenter.total_values[rows[0]]
            self.total_month.setText(month)
            self.total_amount.setText(total)
            self.total_number.setText(number)

    def save_total(self) -> None:
        self.previewer.prepare(
            self.presenter.total_task(
                self.total_month.text(), self.total_amount.text(), self.total_number.text()
            )
        )

    def remove_total(self) -> None:
        if self.total_month.text().strip():
            self.previewer.prepare(
                self.presenter.delete_total_task(self.total_month.text().strip())
            )

    # Loading ----------------------------------------------------------------------------
    def fetch(self) -> PoolsLoad:
        return self.presenter.fetch()

    def show_load(self, load: PoolsLoad) -> None:  # type: ignore[override]
        keep = self.position
        self.presenter.apply(load)
        self.pool_table.refresh()
        self.totals_table.refresh()
        self.previewer.discard()
        pools = len(self.presenter.pool_list)
        if pools:
            row = keep - 1 if keep is not None and keep <= pools else 0
            self.select_pool(row)
            self._show_pool(self.presenter.form_at(row))
        else:
            self.new_pool()
        presenter = self.presenter
        self.overhead.setText(presenter.settings_text("overhead_rate"))
        self.true_up.setCurrentIndex(
            max(self.true_up.findData(presenter.settings.get("true_up", "none")), 0)
        )
        self.unallocated.setCurrentIndex(
            max(self.unallocated.findData(presenter.settings.get("unallocated", "show")), 0)
        )
        self.warn.setText(presenter.settings_text("warn_threshold"))
        self.expense.setText(presenter.settings_text("expense_account"))
        self.clearing.setText(presenter.settings_text("clearing_account"))
        self.go_live.setText(presenter.settings_text("go_live"))
        self.functional.setText(presenter.settings_text("functional_currency"))
        self.rates.load()

    def wait_for_workers(self, milliseconds: int = 30_000) -> None:
        super().wait_for_workers(milliseconds)
        self.previewer.wait_for_workers(milliseconds)
        self.rates.wait_for_workers(milliseconds)
