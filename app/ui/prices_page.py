"""The Price book page: models the usage has no price for first (one click fills the form),
every entry with its rates per million tokens and where they were read (yours in amber), your
prices added, changed, removed or imported from a price list — each previewed on the newest
month and undone from the Edit menu. Closed months keep their invoices."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.ui.change_preview import ChangePreviewer
from app.ui.impact_panel import ImpactPanel
from app.ui.loaded_page import LoadedPage
from app.ui.policy_editor import PolicyEditor
from app.ui.presentation.prices import FORM_RATES, PriceForm, PricesLoad, PricesPresenter
from app.ui.widgets import FinanceTable, section_title


class PricesPage(LoadedPage):
    """A thin view over :class:`PricesPresenter`; changes go through the editor."""

    def __init__(
        self, presenter: PricesPresenter, editor: PolicyEditor, parent: QWidget | None = None
    ) -> None:
        super().__init__("Price book", parent)
        self.presenter = presenter
        layout = self.body
        self.import_button = QPushButton("Import price list…")
        self.import_button.clicked.connect(self.choose_price_list)
        self.header.addWidget(self.import_button)
        note = QLabel(
            "USD per million tokens; the newest entry on or before a line's day prices it. "
            "An empty cache rate is derived: a 5-minute write 1.25×, a 1-hour write 2×, a read "
            "0.1× the input rate. Yours (amber) win over the built-in ones from their date. "
            "Closed months keep the invoices they were closed with."
        )
        note.setWordWrap(True)
        note.setObjectName("pageNote")
        layout.addWidget(note)
        self.unpriced_title = section_title("Used without a price — click one to add its price")
        self.unpriced_title.setStyleSheet("color: #b03a2e;")
        layout.addWidget(self.unpriced_title)
        self.unpriced = FinanceTable(presenter.unpriced_table, stretch_column=1)
        self.unpriced.setMaximumHeight(110)
        self.unpriced.clicked.connect(lambda index: self.add_for_unpriced(index.row()))
        layout.addWidget(self.unpriced)
        row = QHBoxLayout()
        self.table = FinanceTable(presenter.table, stretch_column=7, stretch_minimum=80)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.selectionModel().selectionChanged.connect(self._chosen)
        row.addWidget(self.table, 1)
        row.addWidget(self._form())
        layout.addLayout(row, 3)
        self.panel = ImpactPanel()
        layout.addWidget(self.panel, 2)
        self.previewer = ChangePreviewer(editor, self.panel, lambda: self.presenter.period)
        self.previewer.busy_changed.connect(self.busy.setVisible)

    def write_controls(self) -> list[QWidget]:
        """The controls that change the workspace (greyed for a read-only workspace)."""
        return [self.import_button, self.remove_button, self.save_button, self.panel.apply_button]

    def _form(self) -> QWidget:
        box = QWidget()
        box.setMaximumWidth(300)
        outer = QVBoxLayout(box)
        outer.setContentsMargins(6, 0, 0, 0)
        self.form_title = QLabel("A price of yours")
        self.form_title.setObjectName("sectionTitle")
        outer.addWidget(self.form_title)
        form = QFormLayout()
        self.model = QLineEdit()
        self.model.setPlaceholderText("model id")
        self.effective_from = QLineEdit()
        self.effective_from.setPlaceholderText("YYYY-MM-DD")
        form.addRow("Model:", self.model)
        form.addRow("From:", self.effective_from)
        self.rates: dict[str, QLineEdit] = {}
        for key, title in FORM_RATES:
            field = QLineEdit()
            field.setPlaceholderText("USD / MTok" if key in ("input", "output") else "derived")
            self.rates[key] = field
            form.addRow(f"{title}:", field)
        outer.addLayout(form)
        buttons = QHBoxLayout()
        self.remove_button = QPushButton("Remove…")
        self.remove_button.clicked.connect(self.remove)
        self.save_button = QPushButton("Save…")
        self.save_button.clicked.connect(self.save)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        outer.addLayout(buttons)
        self.citation = QLabel()
        self.citation.setWordWrap(True)
        self.citation.setObjectName("pageNote")
        self.citation.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        outer.addWidget(self.citation)
        outer.addStretch(1)
        return box

    def show_form(self, form: PriceForm, yours: bool = False) -> None:
        self.model.setText(form.model)
        self.effective_from.setText(form.effective_from)
        for key, field in self.rates.items():
            field.setText(form.rates.get(key, ""))
        self.remove_button.setEnabled(yours)

    def form(self) -> PriceForm:
        return PriceForm(
            self.model.text(),
            self.effective_from.text(),
            {k: f.text() for k, f in self.rates.items()},
        )

    def _chosen(self, *_args: object) -> None:
        rows = self.table.selected_rows()
        if rows:
            self.previewer.discard()
            self.show_form(self.presenter.form_at(rows[0]), self.presenter.is_yours(rows[0]))
            self.citation.setText(self.presenter.citation_at(rows[0]))

    def add_for_unpriced(self, row: int) -> None:
        if 0 <= row < len(self.presenter.unpriced):
            self.table.clearSelection()
            self.show_form(self.presenter.form_for_unpriced(row))
            self.rates["input"].setFocus()

    def save(self) -> None:
        self.previewer.prepare(self.presenter.save_task(self.form()))

    def remove(self) -> None:
        rows = self.table.selected_rows()
        if rows and self.presenter.is_yours(rows[0]):
            self.previewer.prepare(self.presenter.remove_task(rows[0]))

    def choose_price_list(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, "Import price list", "", "Price lists (*.toml *.csv)"
        )
        if name:
            self.import_price_list(Path(name))

    def import_price_list(self, path: Path) -> None:
        self.previewer.prepare(self.presenter.import_task(path))

    def fetch(self) -> PricesLoad:
        return self.presenter.fetch()

    def show_load(self, load: PricesLoad) -> None:  # type: ignore[override]
        self.presenter.apply(load)
        self.table.refresh()
        self.unpriced.refresh()
        has_unpriced = bool(self.presenter.unpriced)
        self.unpriced.setVisible(has_unpriced)
        self.unpriced_title.setVisible(has_unpriced)
        self.previewer.discard()
        if has_unpriced:
            self.add_for_unpriced(0)
        else:
            self.show_form(PriceForm())

    def wait_for_workers(self, milliseconds: int = 30_000) -> None:
        super().wait_for_workers(milliseconds)
        self.previewer.wait_for_workers(milliseconds)
