"""The Taxonomy page: teams (department, cost center, owner, invoice code, overhead override,
aliases; add, rename, merge, archive, restore, delete) and the departments, products and
environments; every change previewed on the newest month and undone from the Edit menu."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.ui.change_preview import ChangePreviewer
from app.ui.impact_panel import ImpactPanel
from app.ui.loaded_page import LoadedPage
from app.ui.policy_editor import PolicyEditor
from app.ui.presentation.taxonomy import SECTIONS, TaxonomyLoad, TaxonomyPresenter, TeamForm
from app.ui.widgets import FinanceTable

SECTION_TITLES = {
    "departments": "Departments",
    "products": "Products",
    "environments": "Environments",
}


EMPTY_WORDS = {
    "departments": "None yet: teams can be grouped into departments for the reports.",
    "products": "None yet: products are then taken as rules and tags name them.",
    "environments": "None listed: environments are taken as tagged (prod, staging…).",
}


class NamedList(QWidget):
    """One named list (departments, products or environments) with add, rename, delete."""

    def __init__(self, section: str, page: TaxonomyPage) -> None:
        super().__init__()
        self.section = section
        self.page = page
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        title = QLabel(SECTION_TITLES[section])
        title.setObjectName("sectionTitle")
        layout.addWidget(title)
        self.items = QListWidget()
        self.items.currentTextChanged.connect(lambda text: self.name.setText(text))
        layout.addWidget(self.items, 1)
        self.empty = QLabel(EMPTY_WORDS[section])
        self.empty.setWordWrap(True)
        self.empty.setObjectName("pageNote")
        layout.addWidget(self.empty)
        self.name = QLineEdit()
        self.name.setPlaceholderText("Name")
        layout.addWidget(self.name)
        buttons = QHBoxLayout()
        self.add = QPushButton("Add…")
        self.add.clicked.connect(lambda: page.add_named(section, self.name.text()))
        self.rename = QPushButton("Rename…")
        self.rename.setToolTip("Rename the chosen one to the name typed")
        self.rename.clicked.connect(self._rename)
        self.delete = QPushButton("Delete…")
        self.delete.clicked.connect(self._delete)
        for button in (self.add, self.rename, self.delete):
            buttons.addWidget(button)
        layout.addLayout(buttons)

    def show_names(self, names: list[str]) -> None:
        self.items.clear()
        self.items.addItems(names)
        self.empty.setVisible(not names)

    def _rename(self) -> None:
        item = self.items.currentItem()
        if item is not None:
            self.page.rename_named(self.section, item.text(), self.name.text())

    def _delete(self) -> None:
        item = self.items.currentItem()
        if item is not None:
            self.page.delete_named(self.section, item.text())


class TaxonomyPage(LoadedPage):
    """A thin view over :class:`TaxonomyPresenter`; changes go through the editor."""

    def __init__(
        self, presenter: TaxonomyPresenter, editor: PolicyEditor, parent: QWidget | None = None
    ) -> None:
        super().__init__("Taxonomy", parent)
        self.presenter = presenter
        self._keep_team = ""
        layout = self.body
        self.note = QLabel(
            "Who can be charged, and how invoices and the journal name them. A rename or a "
            "merge carries rules, pools and budgets along and keeps the old name as an alias; "
            "a team with closed invoices (invoiced) is archived, never deleted."
        )
        self.note.setWordWrap(True)
        self.note.setObjectName("pageNote")
        layout.addWidget(self.note)
        self.tabs = QTabWidget()
        layout.addWidget(self.tabs, 3)
        teams = QWidget()
        teams_layout = QHBoxLayout(teams)
        self.table = FinanceTable(presenter.table, stretch_column=1, stretch_minimum=120)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.selectionModel().selectionChanged.connect(self._chosen)
        teams_layout.addWidget(self.table, 1)
        form = self._team_form()
        form.setMaximumWidth(330)
        teams_layout.addWidget(form)
        self.tabs.addTab(teams, "Teams")
        lists = QWidget()
        lists_layout = QHBoxLayout(lists)
        self.lists = {section: NamedList(section, self) for section in SECTIONS}
        for widget in self.lists.values():
            lists_layout.addWidget(widget)
        self.tabs.addTab(lists, "Departments, products, environments")
        self.panel = ImpactPanel()
        layout.addWidget(self.panel, 2)
        self.previewer = ChangePreviewer(editor, self.panel, lambda: self.presenter.period)
        self.previewer.busy_changed.connect(self._preparing)

    def write_controls(self) -> list[QWidget]:
        """The controls that change the workspace (greyed for a read-only workspace)."""
        listed = [b for named in self.lists.values() for b in (named.add, named.rename)]
        listed += [named.delete for named in self.lists.values()]
        teams = [self.new_button, self.save_button, self.merge_button, self.archive_button]
        return [*listed, *teams, self.delete_button, self.panel.apply_button]

    def _team_form(self) -> QWidget:
        box = QWidget()
        outer = QVBoxLayout(box)
        outer.setContentsMargins(6, 0, 0, 0)
        self.form_title = QLabel("New team")
        self.form_title.setObjectName("sectionTitle")
        outer.addWidget(self.form_title)
        form = QFormLayout()
        self.name = QLineEdit()
        self.department = QComboBox()
        self.cost_center = QLineEdit()
        self.owner = QLineEdit()
        self.owner.setPlaceholderText("who answers for it")
        self.code = QLineEdit()
        self.code.setPlaceholderText("e.g. DATA")
        self.overhead = QLineEdit()
        self.overhead.setPlaceholderText("%; empty: global rate")
        self.aliases = QLineEdit()
        self.aliases.setPlaceholderText("other spellings, comma-separated")
        for label, widget in (
            ("Name:", self.name),
            ("Department:", self.department),
            ("Cost center:", self.cost_center),
            ("Owner:", self.owner),
            ("Invoice code:", self.code),
            ("Overhead:", self.overhead),
            ("Aliases:", self.aliases),
        ):
            form.addRow(label, widget)
        outer.addLayout(form)
        row = QHBoxLayout()
        self.new_button = QPushButton("New team")
        self.new_button.clicked.connect(self.new_team)
        self.save_button = QPushButton("Save…")
        self.save_button.clicked.connect(self.save)
        row.addWidget(self.new_button)
        row.addStretch(1)
        row.addWidget(self.save_button)
        outer.addLayout(row)
        merge = QHBoxLayout()
        self.merge_into = QComboBox()
        self.merge_button = QPushButton("Merge into…")
        self.merge_button.clicked.connect(self.merge)
        merge.addWidget(self.merge_button)
        merge.addWidget(self.merge_into, 1)
        outer.addLayout(merge)
        row = QHBoxLayout()
        self.archive_button = QPushButton("Archive…")
        self.archive_button.clicked.connect(self.archive)
        self.delete_button = QPushButton("Delete…")
        self.delete_button.clicked.connect(self.delete)
        row.addWidget(self.archive_button)
        row.addStretch(1)
        row.addWidget(self.delete_button)
        outer.addLayout(row)
        outer.addStretch(1)
        self.original = ""
        self.archived = False
        return box

    def fetch(self) -> TaxonomyLoad:
        return self.presenter.fetch()

    def show_load(self, load: TaxonomyLoad) -> None:  # type: ignore[override]
        self.presenter.apply(load)
        self.table.refresh()
        for section, widget in self.lists.items():
            widget.show_names(self.presenter.lists[section])
        self.previewer.discard()
        names = self.presenter.team_names()
        keep = self._keep_team or self.original
        self._keep_team = ""
        if keep in names:
            self.select_team(keep)
        elif names:
            self.select_team(names[0])
        else:
            self.new_team()

    def select_team(self, name: str) -> None:
        row = self.presenter.team_names().index(name)
        index = self.table.model().index(row, 0)
        self.table.selectionModel().select(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)
        self._show_form(self.presenter.form_at(row))

    def _chosen(self, *_args: object) -> None:
        rows = self.table.selected_rows()
        if rows and rows[0] < len(self.presenter.teams):
            self.previewer.discard()  # a preview is of the team it was made for
            self._show_form(self.presenter.form_at(rows[0]))

    def new_team(self) -> None:
        self.table.clearSelection()
        self._show_form(TeamForm())

    def _show_form(self, form: TeamForm) -> None:
        self.original, self.archived = form.original, form.archived
        self.form_title.setText(f"Team: {form.original}" if form.original else "New team")
        self.name.setText(form.name)
        self.department.clear()
        self.department.addItems(["", *self.presenter.lists["departments"]])
        self.department.setCurrentText(form.department)
        self.cost_center.setText(form.cost_center)
        self.owner.setText(form.owner)
        self.code.setText(form.code)
        self.overhead.setText(form.overhead)
        self.aliases.setText(form.aliases)
        self.merge_into.clear()
        self.merge_into.addItems(
            [n for n in self.presenter.team_names(active_only=True) if n != form.original]
        )
        self.save_button.setText("Save changes…" if form.original else "Add team…")
        self.archive_button.setText("Restore…" if form.archived else "Archive…")
        for button in (self.merge_button, self.archive_button, self.delete_button):
            button.setEnabled(bool(form.original))
        self.merge_into.setEnabled(bool(form.original))

    def form(self) -> TeamForm:
        return TeamForm(
            self.original,
            self.name.text(),
            self.department.currentText(),
            self.cost_center.text(),
            self.owner.text(),
            self.code.text(),
            self.overhead.text(),
            self.aliases.text(),
            self.archived,
        )

    def save(self) -> None:
        form = self.form()
        self._keep_team = form.name.strip()
        self.previewer.prepare(self.presenter.save_task(form))

    def merge(self) -> None:
        target = self.merge_into.currentText()
        if self.original and target:
            self._keep_team = target
            self.previewer.prepare(self.presenter.merge_task(self.original, target))

    def archive(self) -> None:
        if self.original:
            self.previewer.prepare(self.presenter.archive_task(self.original, self.archived))

    def delete(self) -> None:
        if self.original:
            self.previewer.prepare(self.presenter.delete_task(self.original))

    def add_named(self, section: str, name: str) -> None:
        self.previewer.prepare(self.presenter.add_named_task(section, name))

    def rename_named(self, section: str, old: str, new: str) -> None:
        self.previewer.prepare(self.presenter.rename_named_task(section, old, new))

    def delete_named(self, section: str, name: str) -> None:
        self.previewer.prepare(self.presenter.delete_named_task(section, name))

    def _preparing(self, busy: bool) -> None:
        self.busy.setVisible(busy)

    def wait_for_workers(self, milliseconds: int = 30_000) -> None:
        super().wait_for_workers(milliseconds)
        self.previewer.wait_for_workers(milliseconds)
