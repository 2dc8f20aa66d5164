"""The Reconciliation page: the samples' usage vs cost report vs invoice, in words and rows."""

from __future__ import annotations

from app.services.importing import import_file
from app.ui.main_window import MainWindow
from app.ui.presentation.reconciliation import ReconciliationPresenter


def _imported(workspace, data_dir):
    for name in (
        "anthropic_usage_report_page1.json",
        "anthropic_cost_report.json",
        "console_cost_export.csv",
        "provider_invoice.csv",
    ):
        assert import_file(workspace, data_dir / name).status == "imported"
    return workspace


def test_presenter_reads_the_month(workspace, data_dir):
    presenter = ReconciliationPresenter(_imported(workspace, data_dir))
    presenter.apply(presenter.fetch("2026-10"))
    rows = {(r[0], r[1]): r for r in presenter.table.rows}
    assert rows[("claude-opus-4-7", "uncached_input_tokens")][2:] == ["$10.50", "$10.50", "$0.00"]
    assert presenter.summary[0] == "Usage re-priced: $52.96"
    assert any(
        s.startswith("Provider invoice: $13,200.00; minus usage (true-up) +$13,147.04")
        for s in presenter.summary
    )
    assert any("code execution" in gap for gap in presenter.gaps)
    assert presenter.table.total[0] == "Total"


def test_the_page_shows_it(qtbot, workspace, data_dir):
    window = MainWindow(remember=False)
    qtbot.addWidget(window)
    window.set_workspace(_imported(workspace, data_dir))
    window.show_page("reconciliation")
    page = window.reconciliation
    qtbot.waitUntil(lambda: not page.dirty and not page.loading, timeout=20_000)
    assert page.summary.text().startswith("Usage re-priced: $")
    assert page.gaps.count() >= 1
