"""The frame of a month-based page: title, month selector, and reload after imports."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from app.ui.presentation.monthly import MonthlyPresenter


class MonthPage(QWidget):
    """Subclasses add their widgets to ``self.body`` and implement ``show_state``."""

    def __init__(
        self, title: str, presenter: MonthlyPresenter, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        self.presenter = presenter
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(18, 14, 18, 14)
        self.body.setSpacing(10)
        self.header = QHBoxLayout()
        self.title = QLabel(title)
        self.title.setObjectName("pageTitle")
        self.month = QComboBox()
        self.month.setMinimumWidth(170)
        self.month.currentIndexChanged.connect(self._month_chosen)
        self.header.addWidget(self.title, 1)
        self.header.addWidget(QLabel("Month:"))
        self.header.addWidget(self.month)
        self.body.addLayout(self.header)

    def fill_months(self) -> None:
        self.month.blockSignals(True)
        self.month.clear()
        for period, label in zip(
            self.presenter.periods, self.presenter.month_labels(), strict=True
        ):
            self.month.addItem(label, period)
        if self.presenter.period in self.presenter.periods:
            self.month.setCurrentIndex(self.presenter.periods.index(self.presenter.period))
        self.month.setEnabled(bool(self.presenter.periods))
        self.month.blockSignals(False)

    def _month_chosen(self, index: int) -> None:
        if index >= 0:
            self.presenter.select_period(self.month.itemData(index))
            self.show_state()

    def reload(self) -> None:
        self.presenter.reload()
        self.fill_months()
        self.show_state()

    def show_state(self) -> None:
        raise NotImplementedError
