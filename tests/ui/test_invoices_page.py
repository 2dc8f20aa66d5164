"""The Invoices page: presenter without Qt, and the page with qtbot."""

import re

import pytest

from app.services.demo import build_demo_workspace
from app.ui.invoices_page import InvoicesPage
from app.ui.main_window import MainWindow
from app.ui.presentation.invoices import InvoicesPresenter


@pytest.fixture
def demo(tmp_path):
    workspace = build_demo_workspace(tmp_path / "demo.cbdesk")
    yield workspace
    workspace.dispose()


def _loaded(presenter):
    """A presenter with the newest month loaded (pages do this on a worker thread)."""
    presenter.reload()
    return presenter


def _wait_loaded(qtbot, page):
    qtbot.waitUntil(lambda: not page.dirty and not page.loading, timeout=20_000)


def test_presenter_shows_draft_and_final_months(demo):
    presenter = _loaded(InvoicesPresenter(demo))
    assert presenter.period == "2026-11" and presenter.can_close
    assert [row[0] for row in presenter.invoices.rows] == [
        "Data",
        "Research",
        "Product",
        "Engineering",
        "Support",
        "Unallocated",  # not invoiced, shown so the month's whole cost is on the page
    ]
    presenter.select_period("2026-07")
    assert not presenter.can_close and "FINAL" in presenter.status_text.split(" — ")[0]
    assert presenter.invoices.rows[0][2] == "SB-202607-DATA"  # a shadow month
    presenter.select(2)
    assert presenter.lines.total[1] == "Total"
    assert presenter.lines.rows[0][0] == "Usage"


def test_closing_from_the_page(qtbot, demo):
    page = InvoicesPage(InvoicesPresenter(demo))
    qtbot.addWidget(page)
    page.confirm = False
    page.load()
    _wait_loaded(qtbot, page)
    page.month.setCurrentIndex(page.presenter.periods.index("2026-08"))
    _wait_loaded(qtbot, page)
    assert page.close_button.isEnabled()
    with qtbot.waitSignal(page.workspace_changed, timeout=20_000):
        page.close_month()
    _wait_loaded(qtbot, page)
    assert "FINAL" in page.presenter.status_text.split(" — ")[0]
    assert page.month.currentText() == "August 2026 · closed"
    assert not page.close_button.isEnabled()
    assert page.presenter.invoices.rows[0][2] == "CB-202608-DATA"


def test_window_has_the_invoices_page(qtbot, demo):
    window = MainWindow(remember=False)
    qtbot.addWidget(window)
    window.set_workspace(demo)
    window.show_page("invoices")
    assert window.stack.currentWidget() is window.invoices
    window.workspace = None


def test_budgets_presenter(demo):
    from app.ui.presentation.budgets import BudgetsPresenter

    presenter = _loaded(BudgetsPresenter(demo))
    assert presenter.period == "2026-11" and "day 12 of 30" in presenter.note
    research = next(row for row in presenter.table.rows if row[0] == "Research")
    # Heading over its budget: never called "under".
    assert research[6] == "At risk (forecast 196% of budget)"
    assert presenter.table.total[0] == "Total"
    presenter.select_period("2026-10")
    product = next(row for row in presenter.table.rows if row[0] == "Product")
    assert product[6] == "Over" and presenter.note.startswith("A complete month")


def test_over_and_at_risk_rows_are_flagged(demo):
    from app.ui.presentation.budgets import BudgetsPresenter

    presenter = _loaded(BudgetsPresenter(demo))
    names = [row[0] for row in presenter.table.rows]
    assert presenter.table.alerts[names.index("Research")] == "warning"
    presenter.select_period("2026-10")
    names = [row[0] for row in presenter.table.rows]
    assert presenter.table.alerts == {
        names.index("Product"): "over",
        names.index("Research"): "warning",
    }


def test_trail_reads_in_words(demo):
    presenter = _loaded(InvoicesPresenter(demo))
    why = {row[0]: row[3] for row in presenter.lines.rows}
    assert why["Usage"] == "team from a tag alias"
    # Money and percentages, not ten-digit decimals (the exact amounts are the lines').
    assert re.fullmatch(
        r"\d+\.\d\d% of the Platform pool \$[\d,]+\.\d\d, by direct cost \+ adjustment "
        r"\(\$[\d,]+\.\d\d\)",
        why["Shared cost"],
    ), why["Shared cost"]
    assert why["Overhead"].startswith("10% of $")
    assert presenter.invoices.total[3].startswith("$")


def _page(qtbot, demo, period=None):
    page = InvoicesPage(InvoicesPresenter(demo))
    qtbot.addWidget(page)
    page.confirm = False
    page.load(period)
    _wait_loaded(qtbot, page)
    return page


def test_reopening_from_the_page_asks_for_a_reason_and_makes_drafts(qtbot, demo):
    page = _page(qtbot, demo, "2026-07")
    assert page.reopen_button.isEnabled() and not page.close_button.isEnabled()
    with qtbot.waitSignal(page.workspace_changed, timeout=20_000):
        page.reopen_month("credit note from the provider")
    _wait_loaded(qtbot, page)
    assert "DRAFT" in page.presenter.status_text.split(" — ")[0]
    assert page.month.currentText() == "July 2026"


@pytest.mark.parametrize(
    ("kind", "name"),
    [
        ("xlsx", "pack.xlsx"),
        ("pdf", "invoices.pdf"),
        ("report", "team-report.pdf"),
        ("report-html", "team-report.html"),
    ],
)
def test_exports_are_written_on_a_worker(qtbot, demo, tmp_path, kind, name):
    page = _page(qtbot, demo, "2026-10")
    with qtbot.waitSignal(page.exported, timeout=60_000) as written:
        page.choose_export(kind, tmp_path / name)
    assert written.args[0] == str(tmp_path / name)
    assert (tmp_path / name).stat().st_size > 0


def test_the_unallocated_row_lists_what_to_map(qtbot, demo):
    page = _page(qtbot, demo, "2026-11")
    rows = page.presenter.invoices.rows
    assert rows[-1][0] == "Unallocated" and rows[-1][2] == "not invoiced"
    assert page.presenter.invoices.total[0] == "Total invoiced"
    page.table.setFocus()
    page.table.selectRow(len(rows) - 1)
    qtbot.waitUntil(lambda: page.presenter.unmapped is not None, timeout=20_000)
    assert page.lines_title.text().startswith("Unallocated")
    first = page.presenter.lines.rows[0]
    assert first[0].startswith("Unmapped ") and first[2].startswith("$")


def test_the_keyboard_moves_the_invoice_shown(qtbot, demo):
    from PySide6.QtCore import Qt

    page = _page(qtbot, demo, "2026-10")
    page.table.setFocus()
    first = page.lines_title.text()
    qtbot.keyClick(page.table, Qt.Key.Key_Down)
    assert page.presenter.selected == 1
    assert page.lines_title.text() != first
    assert page.lines_title.text().startswith(f"Lines of {page.presenter.invoices.rows[1][0]}")
