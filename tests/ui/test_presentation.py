"""Presentation objects, tested without Qt."""

from app.services.importing import FileImportReport, import_file
from app.ui.presentation.dashboard import DashboardPresenter
from app.ui.presentation.formatting import month_label
from app.ui.presentation.imports import ImportsPresenter, summarise


def test_dashboard_figures_are_the_invoice_documents(tmp_path):
    """Every figure a controller reads on the dashboard is the invoice documents' (frozen for
    closed months), the budget report's or the cost report's — none is computed apart."""
    from decimal import Decimal

    from app.services.budgets import budget_report
    from app.services.demo import build_demo_workspace
    from app.services.invoices import invoice_document
    from app.services.reporting import cost_report

    demo = build_demo_workspace(tmp_path / "demo.cbdesk")
    presenter = DashboardPresenter(demo)
    presenter.reload()
    assert presenter.period == "2026-11"
    document = invoice_document(demo, "2026-11")
    kpis = {k.label: k for k in presenter.kpis}
    invoiced = kpis["Invoiced, November 2026"]
    assert invoiced.value == f"${Decimal(document['grand_total']):,.2f}"
    assert f"Unallocated ${Decimal(document['unallocated']):,.2f}" in invoiced.hint
    # November is still running: it is compared with October by its forecast.
    assert "Forecast vs October 2026" in kpis and presenter.change_basis == "forecast"
    assert kpis["Unpriced lines"].value == "0" and not kpis["Unpriced lines"].warning
    teams = {row[0]: row for row in presenter.teams.rows}
    for invoice in document["invoices"]:
        assert teams[invoice["team"]][1] == f"${Decimal(invoice['total']):,.2f}"
    report = {t.team: t for t in budget_report(demo, "2026-11").teams}
    assert report["Research"].at_risk and teams["Research"][4] == "At risk"  # never "Under"
    stacked = presenter.stacked
    assert stacked.months == [f"2026-{m:02d}" for m in range(5, 12)]
    for index, month in enumerate(stacked.months):
        month_total = sum(s.cents[index] for s in stacked.series)
        assert month_total == int(Decimal(invoice_document(demo, month)["grand_total"]) * 100)
    days = cost_report(demo, "2026-11", ["day"])
    assert sum(presenter.daily.cents) == days.total_cents
    assert {b.team for b in presenter.budget_bars} == set(teams)
    demo.dispose()


def test_dashboard_flags_unpriced_models(small_workspace, tmp_path):
    path = tmp_path / "u.csv"
    path.write_text(
        "timestamp,model,input_tokens,output_tokens\n2026-10-05T00:00:00Z,claude-opus-9,1,1\n"
    )
    import_file(small_workspace, path)
    presenter = DashboardPresenter(small_workspace)
    presenter.reload()
    unpriced = next(k for k in presenter.kpis if k.label == "Unpriced lines")
    assert unpriced.warning and "claude-opus-9" in unpriced.hint and unpriced.value == "1"


def test_empty_workspace_shows_dashes(tmp_path):
    from app.services.workspaces import create_workspace

    workspace = create_workspace(tmp_path / "empty.cbdesk")
    presenter = DashboardPresenter(workspace)
    presenter.reload()
    assert presenter.period is None and presenter.teams.row_count() == 0
    assert presenter.kpis[0].value == "—"
    assert "Import" in presenter.empty_text
    workspace.dispose()


def test_imports_history_and_summary(small_workspace):
    presenter = ImportsPresenter(small_workspace)
    assert presenter.table.rows == []  # read on a worker by the page
    presenter.reload()
    assert presenter.table.rows[0][:2] == ["1", "gateway_requests.csv"]
    assert presenter.table.rows[0][4] == "2026-10-01 – 2026-10-03"
    rejected = FileImportReport(file="bad.csv", message="not a format")
    headline, details = summarise([rejected])
    assert headline == "0 of 1 file(s) imported"
    assert "Rejected: bad.csv" in details and "bad.csv: not a format" in details


def test_month_label():
    assert month_label("2026-05") == "May 2026"


def test_fetching_changes_nothing_until_applied(small_workspace):
    """A fetch runs on a worker thread: it reads only; the display state changes when the UI
    thread applies it."""
    presenter = DashboardPresenter(small_workspace)
    load = presenter.fetch(None)
    assert presenter.period is None and presenter.kpis[0].value == "—"
    presenter.apply(load)
    assert presenter.period == "2026-10" and presenter.kpis[0].value == "$0.00"
    assert "Unallocated $0.21" in presenter.kpis[0].hint


def test_closed_months_are_marked_in_the_month_list(small_workspace):
    from app.services.closing import close_period

    close_period(small_workspace, "2026-10")
    presenter = DashboardPresenter(small_workspace)
    presenter.reload()
    assert presenter.month_labels() == ["October 2026 · closed"]


def test_insights_tables_are_the_services_figures(tmp_path):
    from decimal import Decimal

    from app.services.demo import build_demo_workspace
    from app.services.insights import month_insights
    from app.ui.presentation.insights import InsightsPresenter

    demo = build_demo_workspace(tmp_path / "demo.cbdesk")
    presenter = InsightsPresenter(demo)
    presenter.reload()
    insights = month_insights(demo, "2026-11")
    costs = {row[0]: row[1] for row in presenter.teams.rows}
    for team in insights.teams:
        assert costs[team.team] == f"${team.figures['cost']:,.2f}"
    saved = sum((s.amount for s in insights.savings), Decimal(0))
    assert presenter.savings.total[2] == f"${saved:,.2f}"
    amounts = [Decimal(row[2].strip("$").replace(",", "")) for row in presenter.savings.rows]
    assert amounts == sorted(amounts, reverse=True)  # biggest lever first
    assert len(presenter.anomalies.rows) == len(insights.anomalies)
    assert all("(" in row[4] for row in presenter.anomalies.rows)  # the driver and its cost
    demo.dispose()
