"""The Forecast page: the commitment per quarter, the chart's series and the assumptions, and
a changed adoption rate recomputing on a worker."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.services.importing import import_file
from app.services.policy import apply_policy_file
from app.services.workspaces import create_workspace
from app.ui.forecast_page import ForecastPage
from app.ui.presentation.forecast import ForecastPresenter
from tests.services.test_forecast import MONTHLY_DATA, POLICY


@pytest.fixture
def four_months(tmp_path):
    workspace = create_workspace(tmp_path / "f.cbdesk")
    (tmp_path / "p.toml").write_text(POLICY, encoding="utf-8")
    apply_policy_file(workspace, tmp_path / "p.toml")
    rows = "".join(
        f"{month}-15T10:00:00Z,d{month},k-data,claude-haiku-4-5,{dollars * 1_000_000}\n"
        for month, dollars in MONTHLY_DATA.items()
    )
    (tmp_path / "u.csv").write_text("timestamp,request_id,api_key,model,input_tokens\n" + rows)
    import_file(workspace, tmp_path / "u.csv")
    yield workspace
    workspace.dispose()


def test_the_page_shows_the_commitment_and_recomputes_when_a_rate_changes(qtbot, four_months):
    page = ForecastPage(ForecastPresenter(four_months))
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded, timeout=20_000):
        page.load()
    presenter = page.presenter
    assert [row[0] for row in presenter.quarters.rows] == [
        "Q4 2026 · Nov–Dec",
        "Q1 2027 · Jan–Mar",
        "Q2 2027 · Apr–Jun",
        "Q3 2027 · Jul–Sep",
        "Q4 2027 · Oct",
    ]
    assert presenter.quarters.total[0] == "Total · 12 months"
    assert presenter.chart.labels[:5] == ["Jul 26", "Aug 26", "Sep 26", "Oct 26", "Nov 26"]
    assert presenter.chart.history == [100.0, 120.0, 110.0, 130.0]
    assert presenter.chart.forecast_x[0] == 3  # from the last actual month
    assert presenter.chart.as_is[0][1] == 135.0  # November, the hand-computed case
    assert presenter.chart.tips[4].startswith("Nov 26: as-is $135.00 ($91.20 – $178.80)")
    assert page.headline.text().startswith("Commit to $")
    assert "linear trend (ordinary least squares)" in page.assumptions.toPlainText()
    before = presenter.forecast.commitment
    with qtbot.waitSignal(page.loaded, timeout=20_000):
        page.rates["caching"].setValue(100)
    assert presenter.adoption["caching"] == Decimal(1)
    assert presenter.forecast.commitment < before
    assert presenter.forecast.series[0].optimised_factor == Decimal("0.55")


def test_an_empty_workspace_says_why_there_is_no_forecast(qtbot, tmp_path):
    workspace = create_workspace(tmp_path / "empty.cbdesk")
    try:
        page = ForecastPage(ForecastPresenter(workspace))
        qtbot.addWidget(page)
        with qtbot.waitSignal(page.load_failed, timeout=20_000):
            page.load()
        assert page.headline.text().startswith(
            "No forecast: a forecast needs at least one complete month of usage"
        )
        assert page.presenter.quarters.rows == [] and page.assumptions.toPlainText() == ""
    finally:
        workspace.dispose()
