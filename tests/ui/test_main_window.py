"""Qt wiring of the main window, with pytest-qt."""

from pathlib import Path

from app.ui.main_window import MainWindow
from app.ui.presentation.table import Column, TableState
from app.ui.table_model import StateTableModel


def _window_on(qtbot, workspace, page=None):
    """A main window on ``workspace``, showing ``page`` when given, once it has loaded."""
    window = MainWindow(remember=False)
    qtbot.addWidget(window)
    window.set_workspace(workspace)
    if page is not None:
        window.show_page(page)
    _wait_loaded(qtbot, window)
    return window


def _wait_loaded(qtbot, window):
    """Pages load on a worker thread: wait until the page on screen has its data."""
    page = window.stack.currentWidget()
    qtbot.waitUntil(
        lambda: not getattr(page, "dirty", False) and not getattr(page, "loading", False),
        timeout=20_000,
    )


def _dashboard(qtbot, window):
    window.show_page("dashboard")
    _wait_loaded(qtbot, window)
    return window.dashboard


def test_table_model_passes_the_model_tester(qtmodeltester):
    state = TableState(
        [Column("Name"), Column("Cost", True)], [["a", "$1.00"]], total=["Total", "$1.00"]
    )
    qtmodeltester.check(StateTableModel(state))


def test_window_shows_workspace_and_switches_pages(qtbot, small_workspace):
    window = _window_on(qtbot, small_workspace)
    assert window.dashboard.title.text() == "ui"
    assert window.dashboard.month.currentText() == "October 2026"
    # No teams yet: nothing is invoiced, all of it is unallocated, and the card says so.
    assert window.dashboard.cards[0].value.text() == "$0.00"
    assert "Unallocated $0.21 is not invoiced" in window.dashboard.cards[0].toolTip()
    window.show_page("imports")
    assert window.stack.currentWidget() is window.imports
    window.workspace = None  # the fixture disposes it


def test_import_runs_on_a_worker_and_refreshes(qtbot, small_workspace, data_dir):
    window = _window_on(qtbot, small_workspace)
    page = window.imports
    page.show_results = False
    with qtbot.waitSignal(page.imported, timeout=20_000):
        page.start_import(
            [data_dir / "anthropic_usage_report_page1.json", Path("/no/such/file.csv")]
        )
    assert [r.status for r in page.last_reports] == ["imported", "rejected"]
    assert page.table.model().rowCount() == 2
    assert "Unallocated $53.18" in _dashboard(qtbot, window).cards[0].toolTip()
    window.workspace = None


def test_cancelled_import_keeps_nothing(qtbot, small_workspace, tmp_path):
    from tests.bench.gateway_log import write_gateway_log

    big = write_gateway_log(tmp_path / "big.csv", 20_000)
    window = _window_on(qtbot, small_workspace)
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


def _cells(table):
    model = table.model()
    return [
        [model.data(model.index(row, column)) for column in range(model.columnCount())]
        for row in range(model.rowCount())
    ]


def test_dashboard_shows_the_documents_figures_in_cells_and_bars(qtbot, small_workspace, tmp_path):
    """The values a controller reads — table cells and chart bars — are the invoice
    document's and the report's cents."""
    from decimal import Decimal

    from app.services.invoices import invoice_document
    from app.services.policy import apply_policy_file
    from app.services.reporting import cost_report

    policy = tmp_path / "p.toml"
    policy.write_text(
        'version = 1\n[[teams]]\nname = "Data"\naliases = ["data-team"]\n'
        '[[teams]]\nname = "Support"\naliases = ["support-team"]\n'
    )
    apply_policy_file(small_workspace, policy)
    window = _window_on(qtbot, small_workspace)
    document = invoice_document(small_workspace, "2026-10")
    cells = {row[0]: row for row in _cells(window.dashboard.team_table)}
    for invoice in document["invoices"]:
        assert cells[invoice["team"]][1] == f"${Decimal(invoice['total']):,.2f}"
    assert cells["Total"][1] == f"${Decimal(document['grand_total']):,.2f}"
    report = cost_report(small_workspace, "2026-10", ["day"])
    heights = window.dashboard.chart._bars.opts["height"]
    assert round(sum(heights) * 100) == report.total_cents
    stacked = window.dashboard.months_chart.items
    assert round(sum(sum(bars.opts["height"]) for bars in stacked) * 100) == int(
        Decimal(document["grand_total"]) * 100
    )
    window.workspace = None


def test_invoices_page_cells_equal_the_invoice_document(qtbot, small_workspace, tmp_path):
    from app.services.invoices import invoice_document
    from app.services.policy import apply_policy_file

    policy = tmp_path / "p.toml"
    policy.write_text(
        'version = 1\n[settings]\noverhead_rate = "0.10"\n'
        '[[teams]]\nname = "Data"\naliases = ["data-team"]\n'
        '[[teams]]\nname = "Support"\naliases = ["support-team"]\n'
    )
    apply_policy_file(small_workspace, policy)
    window = _window_on(qtbot, small_workspace, "invoices")
    page = window.invoices
    document = invoice_document(small_workspace, "2026-10")
    cells = _cells(page.table)
    totals = {row[0]: row[-1] for row in cells[:-1]}
    for invoice in document["invoices"]:
        assert totals[invoice["team"]].replace("$", "").replace(",", "") == invoice["total"]
    window.workspace = None


def test_remove_an_import_from_the_imports_page(qtbot, small_workspace, data_dir):
    from app.services.importing import import_file

    import_file(small_workspace, data_dir / "anthropic_usage_report_page1.json")
    window = _window_on(qtbot, small_workspace, "imports")
    page = window.imports
    cells = _cells(page.table)
    assert [row[0] for row in cells] == ["2", "1"]
    page.table.selectRow(0)
    with qtbot.waitSignal(page.removed, timeout=20_000) as removal:
        page.remove_selected(confirm=False)
    outcome = removal.args[0]
    assert outcome.startswith("Removed import 2 (anthropic_usage_report_page1.json)")
    qtbot.waitUntil(lambda: not page.loading, timeout=20_000)
    assert [row[0] for row in _cells(page.table)] == ["1"]
    assert "Unallocated $0.21" in _dashboard(qtbot, window).cards[0].toolTip()
    window.workspace = None


def test_budgets_page_cells_are_the_invoice_totals_and_budgets(qtbot, small_workspace, tmp_path):
    from app.services.budgets import budget_report
    from app.services.invoices import invoice_document
    from app.services.policy import apply_policy_file

    policy = tmp_path / "p.toml"
    policy.write_text(
        'version = 1\n[[teams]]\nname = "Data"\naliases = ["data-team"]\n'
        '[[budgets]]\nteam = "Data"\nmonth = "2026-10"\namount = "0.05"\n'
    )
    apply_policy_file(small_workspace, policy)
    window = _window_on(qtbot, small_workspace, "budgets")
    cells = {row[0]: row for row in _cells(window.budgets.table)}
    total = next(i["total"] for i in invoice_document(small_workspace, "2026-10")["invoices"])
    report = {t.team: t for t in budget_report(small_workspace, "2026-10").teams}
    assert cells["Data"][1] == "$0.05"
    assert cells["Data"][2] == f"${total}"
    assert cells["Data"][5] == f"{report['Data'].used * 100:.0f}%"
    assert cells["Data"][6].startswith("Over")
    assert cells["Data"][4] == f"-${report['Data'].forecast - report['Data'].budget:,.2f}"
    window.workspace = None


def test_the_remove_button_asks_before_removing(qtbot, small_workspace, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    asked = []
    monkeypatch.setattr(
        QMessageBox,
        "question",
        staticmethod(lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.No),
    )
    window = _window_on(qtbot, small_workspace, "imports")
    page = window.imports
    page.table.selectRow(0)
    page.remove_button.click()
    assert asked and asked[0].startswith("Remove import 1 (gateway_requests.csv)")
    assert [row[0] for row in _cells(page.table)] == ["1"]  # answered No: nothing removed
    window.workspace = None


def test_a_narrow_window_keeps_the_file_names_readable(qtbot, small_workspace):
    """At 1024 px the other columns of the import history take their room; the file name
    keeps a readable width and the table scrolls sideways instead of cutting it to "con…"."""
    window = _window_on(qtbot, small_workspace, "imports")
    window.resize(1024, 700)
    window.show()
    qtbot.waitExposed(window)
    table = window.imports.table
    header = table.horizontalHeader()
    qtbot.waitUntil(lambda: header.sectionSize(1) >= table.stretch_minimum)
    window.resize(1600, 900)
    qtbot.waitUntil(
        lambda: (
            sum(header.sectionSize(i) for i in range(header.count()))
            >= table.viewport().width() - 2
        )
    )
    window.workspace = None  # the fixture disposes it


def test_a_file_with_bad_rows_can_be_imported_for_its_good_rows(qtbot, small_workspace, tmp_path):
    """The window offers "Import the good rows" instead of quoting a command-line flag."""
    from app.ui.presentation.imports import summarise

    path = tmp_path / "bad.csv"
    path.write_text(
        "timestamp,request_id,model,input_tokens\n"
        "2026-10-05T00:00:00Z,g1,claude-haiku-4-5,1000000\n"
        "2026-10-05T00:00:01Z,g2,claude-haiku-4-5,lots\n",
        encoding="utf-8",
    )
    window = _window_on(qtbot, small_workspace, "imports")
    page = window.imports
    page.show_results = False
    with qtbot.waitSignal(page.imported, timeout=20_000):
        page.start_import([path])
    [report] = page.last_reports
    assert report.status == "rejected"
    _, details = summarise(page.last_reports)
    assert "import the good rows" in details and "--skip-bad-rows" not in details
    with qtbot.waitSignal(page.imported, timeout=20_000):
        page.import_good_rows([path])
    [report] = page.last_reports
    assert (report.status, report.rows_rejected) == ("imported", 1)
    window.workspace = None
