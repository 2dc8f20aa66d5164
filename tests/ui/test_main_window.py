"""Qt wiring of the main window, with pytest-qt."""

from pathlib import Path

from app.ui.main_window import MainWindow
from app.ui.presentation.table import Column, TableState
from app.ui.table_model import StateTableModel


def test_table_model_passes_the_model_tester(qtmodeltester):
    state = TableState(
        [Column("Name"), Column("Cost", True)], [["a", "$1.00"]], total=["Total", "$1.00"]
    )
    qtmodeltester.check(StateTableModel(state))


def test_window_shows_workspace_and_switches_pages(qtbot, small_workspace):
    window = MainWindow(remember=False)
    qtbot.addWidget(window)
    window.set_workspace(small_workspace)
    assert window.dashboard.title.text() == "ui"
    assert window.dashboard.month.currentText() == "October 2026"
    assert window.dashboard.model_table.model().rowCount() == 4  # 3 models + total
    window.show_page("imports")
    assert window.stack.currentWidget() is window.imports
    window.workspace = None  # the fixture disposes it


def test_import_runs_on_a_worker_and_refreshes(qtbot, small_workspace, data_dir):
    window = MainWindow(remember=False)
    qtbot.addWidget(window)
    window.set_workspace(small_workspace)
    page = window.imports
    page.show_results = False
    with qtbot.waitSignal(page.imported, timeout=20_000):
        page.start_import(
            [data_dir / "anthropic_usage_report_page1.json", Path("/no/such/file.csv")]
        )
    assert [r.status for r in page.last_reports] == ["imported", "rejected"]
    assert page.table.model().rowCount() == 2
    assert window.dashboard.cards[0].value.text() == "$53.18"
    window.workspace = None


def test_cancelled_import_keeps_nothing(qtbot, small_workspace, tmp_path):
    from tests.bench.gateway_log import write_gateway_log

    big = write_gateway_log(tmp_path / "big.csv", 20_000)
    window = MainWindow(remember=False)
    qtbot.addWidget(window)
    window.set_workspace(small_workspace)
    page = window.imports
    page.show_results = False
    with qtbot.waitSignal(page.imported, timeout=20_000):
        page.start_import([big])
        page.worker.cancel()
    assert page.last_reports[0].status == "rejected"
    assert "cancelled" in page.last_reports[0].message
    assert page.table.model().rowCount() == 1
    window.workspace = None


def test_welcome_without_workspace(qtbot):
    window = MainWindow(remember=False)
    qtbot.addWidget(window)
    assert window.stack.currentWidget() is window.welcome
    assert window.nav.isHidden()
