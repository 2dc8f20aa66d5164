"""Presentation objects, tested without Qt."""

from app.services.importing import FileImportReport, import_file
from app.ui.presentation.dashboard import DashboardPresenter
from app.ui.presentation.formatting import month_label
from app.ui.presentation.imports import ImportsPresenter, summarise


def test_dashboard_figures(small_workspace):
    presenter = DashboardPresenter(small_workspace)
    presenter.reload()
    assert presenter.periods == ["2026-10"] and presenter.period == "2026-10"
    assert presenter.month_labels() == ["October 2026"]
    kpis = {k.label: k for k in presenter.kpis}
    assert kpis["Total cost, October 2026"].value == "$0.21"
    assert kpis["Requests"].value == "5"
    assert not kpis["Unpriced lines"].warning
    assert presenter.by_model.rows[0][0] == "claude-sonnet-4-6"
    assert presenter.by_model.total == ["Total", "5", "42,700", "5,570", "$0.21"]
    assert presenter.by_key.rows == [["(no key in the source)", "(none)", "5", "$0.21"]]
    assert len(presenter.daily.days) == 31 and presenter.daily.cents[0] == 11


def test_dashboard_flags_unpriced_models(small_workspace, tmp_path):
    path = tmp_path / "u.csv"
    path.write_text(
        "timestamp,model,input_tokens,output_tokens\n2026-10-05T00:00:00Z,claude-opus-9,1,1\n"
    )
    import_file(small_workspace, path)
    presenter = DashboardPresenter(small_workspace)
    presenter.reload()
    unpriced = next(k for k in presenter.kpis if k.label == "Unpriced lines")
    assert unpriced.warning and "claude-opus-9" in unpriced.hint
    assert any(row[-1].endswith("*") for row in presenter.by_model.rows)


def test_empty_workspace_shows_dashes(tmp_path):
    from app.services.workspaces import create_workspace

    workspace = create_workspace(tmp_path / "empty.cbdesk")
    presenter = DashboardPresenter(workspace)
    presenter.reload()
    assert presenter.period is None and presenter.by_model.row_count() == 0
    assert presenter.kpis[0].value == "—"
    workspace.dispose()


def test_imports_history_and_summary(small_workspace):
    presenter = ImportsPresenter(small_workspace)
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
    assert presenter.period == "2026-10" and presenter.kpis[0].value == "$0.21"


def test_closed_months_are_marked_in_the_month_list(small_workspace):
    from app.services.closing import close_period

    close_period(small_workspace, "2026-10")
    presenter = DashboardPresenter(small_workspace)
    presenter.reload()
    assert presenter.month_labels() == ["October 2026 · closed"]
