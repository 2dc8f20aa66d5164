"""The Explore page: the month's cost grouped by one dimension, chart and table side by side;
a bar click or a row's double-click goes one level deeper, the breadcrumb goes back. Each level
is read on a worker thread."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QToolButton,
    QWidget,
)

from app.ui.line_table import LineTable
from app.ui.month_page import MonthPage
from app.ui.presentation.explore import ExplorePresenter
from app.ui.team_charts import GroupChart
from app.ui.widgets import FinanceTable
from app.ui.workers import TaskWorker


class ExplorePage(MonthPage):
    """A thin view over :class:`ExplorePresenter`."""

    presenter: ExplorePresenter
    moved = Signal()
    """The level changed by the user (a drill, a crumb, a group-by): a step of the history."""
    exported = Signal(str)
    """The view was written (its path), or why not."""

    def __init__(self, presenter: ExplorePresenter, parent: QWidget | None = None) -> None:
        super().__init__("Explore", presenter, parent)
        bar = QHBoxLayout()
        self.crumbs = QHBoxLayout()
        self.crumbs.setSpacing(2)
        bar.addLayout(self.crumbs)
        bar.addStretch(1)
        bar.addWidget(QLabel("Group by:"))
        self.group_by = QComboBox()
        self.group_by.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.group_by.activated.connect(self._group_chosen)
        bar.addWidget(self.group_by)
        self.export_button = QPushButton("Export view…")
        self.export_button.setToolTip("The level shown, as CSV or Excel (Ctrl+C copies rows)")
        self.export_button.clicked.connect(lambda: self.export_view())
        bar.addWidget(self.export_button)
        self.body.addLayout(bar)
        self._export: TaskWorker | None = None
        self.hint = QLabel("Click a bar or double-click a row to go into it.")
        self.hint.setObjectName("pageNote")
        self.body.addWidget(self.hint)
        lines_bar = QHBoxLayout()
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter lines: team, model, key, user, tag…")
        self.filter.setClearButtonEnabled(True)
        self.filter.setToolTip("Lines whose text columns contain every word typed")
        self.filter.textChanged.connect(lambda _text: self._filter_timer.start())
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(250)
        self._filter_timer.timeout.connect(self._filter_lines)
        self.line_summary = QLabel()
        self.line_summary.setObjectName("pageNote")
        lines_bar.addWidget(self.filter, 1)
        lines_bar.addWidget(self.line_summary)
        self.lines_bar = QWidget()
        self.lines_bar.setLayout(lines_bar)
        lines_bar.setContentsMargins(0, 0, 0, 0)
        self.body.addWidget(self.lines_bar)
        split = self.split = QSplitter()
        self.chart = GroupChart()
        self.chart.chosen.connect(self.drill)
        self.table = FinanceTable(presenter.table, stretch_minimum=140)
        self.table.doubleClicked.connect(lambda index: self.drill(index.row()))
        self.lines_table = LineTable()
        self.lines_table.line_model.viewed.connect(self._show_line_summary)
        self.lines_table.line_model.failed.connect(
            lambda message: self.line_summary.setText(f"Could not read the lines: {message}")
        )
        split.addWidget(self.chart)
        split.addWidget(self.table)
        split.addWidget(self.lines_table)
        split.setSizes([380, 620, 0])
        self.body.addWidget(split, 1)
        self.show_state()

    def export_view(self, out: Path | None = None) -> None:
        """Write the level shown to a CSV or Excel file (asked for unless given), on a worker."""
        if out is None:
            name, _ = QFileDialog.getSaveFileName(
                self,
                "Export the view",
                f"explore-{self.presenter.period}.csv",
                "CSV (*.csv);;Excel workbook (*.xlsx)",
            )
            if not name:
                return
            out = Path(name)
        task = self.presenter.export_task(out)
        self.export_button.setEnabled(False)
        self._export = TaskWorker(lambda _progress, _cancel: task())
        self._export.finished.connect(self._exported)
        self._export.failed.connect(self._exported)
        self._export.start()

    def _exported(self, result: object) -> None:
        if self._export is not None:
            self._export.wait()
            self._export = None
        self.export_button.setEnabled(True)
        self.exported.emit(str(result))

    def _filter_lines(self) -> None:
        pages = self.presenter.line_pages
        if pages is not None and pages.filtered_by(self.filter.text()) != pages.wanted:
            self.lines_table.line_model.ask_view(pages.filtered_by(self.filter.text()))

    def _show_line_summary(self) -> None:
        pages = self.presenter.line_pages
        self.line_summary.setText("" if pages is None else pages.summary())

    def wait_for_workers(self, milliseconds: int = 30_000) -> None:
        """Let running reads finish and let go of the lines (the window or workspace closes)."""
        super().wait_for_workers(milliseconds)
        self.lines_table.line_model.wait(milliseconds)
        self.lines_table.show_pages(None)
        self.presenter.dispose()
        if self._export is not None:
            self._export.wait(milliseconds)

    def drill(self, index: int) -> None:
        if self.presenter.drill(index):
            self._read_level()

    def _group_chosen(self, index: int) -> None:
        if self.presenter.set_group_by(self.group_by.itemData(index)):
            self._read_level()

    def _crumb(self, depth: int) -> None:
        if self.presenter.back_to(depth):
            self._read_level()

    def _read_level(self) -> None:
        """A level the user chose: read it on a worker, and make it a step of the history."""
        self.show_crumbs()
        self.load()
        self.moved.emit()

    def go_to(self, detail: tuple[str, ...]) -> None:
        """Show the level ``detail`` names (Back and Forward, a team from the dashboard)."""
        if detail != self.presenter.place_detail():
            self.presenter.go_to(detail)
            self.show_crumbs()
            self.dirty = True

    def show_state(self) -> None:
        presenter = self.presenter
        self.show_crumbs()
        lines = presenter.line_pages is not None
        self.chart.setVisible(not lines)
        self.table.setVisible(not lines)
        self.lines_table.setVisible(lines)
        self.lines_bar.setVisible(lines)
        self.lines_table.show_pages(presenter.line_pages)
        if lines:
            self.filter.blockSignals(True)
            self.filter.setText(presenter.line_pages.view.search)  # type: ignore[union-attr]
            self.filter.blockSignals(False)
            self._show_line_summary()
        self.hint.setText(
            "Each usage line of the level: click a heading to sort, type to filter."
            if lines
            else "Click a bar or double-click a row to go into it."
        )
        groups = presenter.chart_groups()
        colours = [presenter.colour(g) for g in groups]
        self.chart.show_groups(
            [presenter.group_label(g) for g in groups], [int(g.cost * 100) for g in groups], colours
        )
        self.table.refresh()

    def show_crumbs(self) -> None:
        """The breadcrumb and the group-by chooser of the level chosen (before it is read)."""
        presenter = self.presenter
        while self.crumbs.count():
            item = self.crumbs.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        crumbs = presenter.crumbs()
        for depth, text in enumerate(crumbs):
            if depth:
                self.crumbs.addWidget(QLabel("›"))
            button = QToolButton()
            button.setText(text)
            button.setAutoRaise(True)
            button.setEnabled(depth != len(crumbs) - 1)
            button.clicked.connect(lambda _checked=False, d=depth: self._crumb(d))
            self.crumbs.addWidget(button)
        self.group_by.blockSignals(True)
        self.group_by.clear()
        for dimension, label in presenter.choices():
            self.group_by.addItem(label, dimension)
        self.group_by.setCurrentIndex(self.group_by.findData(presenter.group_by))
        self.group_by.blockSignals(False)
