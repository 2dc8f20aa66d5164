"""The Pools and settings page with qtbot: a fixed pool's live 100 % check, settings and
provider totals, each previewed, applied and undoable."""

from __future__ import annotations

from app.ui.main_window import MainWindow
from app.ui.presentation.pools import PoolForm, weight_check


def _window(qtbot, workspace):
    window = MainWindow(remember=False)
    qtbot.addWidget(window)
    window.set_workspace(workspace)
    window.show_page("pools")
    page = window.pools
    qtbot.waitUntil(lambda: not page.dirty and not page.loading, timeout=20_000)
    return window, page


def _apply(qtbot, window, page):
    qtbot.waitUntil(lambda: not page.panel.isHidden(), timeout=20_000)
    assert page.panel.apply_button.isEnabled(), page.panel.presenter.problems
    with qtbot.waitSignal(window.editor.changed, timeout=20_000):
        page.panel.apply_button.click()
    qtbot.waitUntil(lambda: not page.dirty and not page.loading, timeout=20_000)


def test_weight_check_reads_the_total():
    assert weight_check(PoolForm("P", "proportional")) == ("", True)
    assert weight_check(PoolForm("P", "fixed", weights={"A": "60", "B": "40"})) == (
        "Total 100 % ✓",
        True,
    )
    assert weight_check(PoolForm("P", "fixed", weights={"A": "60"})) == (
        "Total 60 % — fixed percentages must add up to 100 %",
        False,
    )
    assert weight_check(PoolForm("P", "weighted", weights={"A": "x"}))[1] is False


def test_a_fixed_pool_with_a_live_check(qtbot, unmapped_month):
    window, page = _window(qtbot, unmapped_month)
    page.new_pool()
    page.pool_team.setCurrentText("Data")
    # A pool cannot share with itself: its own team is not offered as a target.
    assert [page.targets.item(i).text() for i in range(page.targets.count())] == ["Web"]
    page.method.setCurrentIndex(page.method.findData("fixed"))
    assert page.weights.rowCount() == 1 and page.weights.item(0, 0).text() == "Web"
    page.weights.item(0, 1).setText("90")
    assert not page.save_pool_button.isEnabled()
    assert page.weight_total.text().startswith("Total 90 %")
    page.weights.item(0, 1).setText("100")
    assert page.save_pool_button.isEnabled()
    page.save_pool()
    _apply(qtbot, window, page)
    assert page.presenter.pools.rows == [["1", "Data", "fixed", "Web 100"]]
    assert page.position == 1


def test_settings_and_provider_totals(qtbot, unmapped_month):
    window, page = _window(qtbot, unmapped_month)
    page.tabs.setCurrentIndex(1)
    page.overhead.setText("10")
    page.save_settings()
    qtbot.waitUntil(lambda: not page.panel.isHidden(), timeout=20_000)
    assert page.panel.title.text().startswith("Change the overhead rate")
    assert page.panel.presenter.table.rows[0] == ["Data", "$9.00", "$9.90", "+$0.90"]
    _apply(qtbot, window, page)
    assert page.overhead.text() == "10"
    page.tabs.setCurrentIndex(2)
    page.total_month.setText("2026-11")
    page.total_amount.setText("14.00")
    page.save_total()
    _apply(qtbot, window, page)
    assert page.presenter.totals.rows == [["2026-11", "$14.00", ""]]
    with qtbot.waitSignal(window.editor.changed, timeout=20_000):
        window.undo_action.trigger()
    qtbot.waitUntil(lambda: not page.dirty and not page.loading, timeout=20_000)
    assert page.presenter.totals.rows == []


def test_a_provider_total_is_read_back_exactly_in_any_locale(qtbot, unmapped_month):
    """Review finding: the form took the amount as displayed; in German (13.200,00 $) that
    became 13.20000 on the next save."""
    from PySide6.QtCore import QLocale

    from app.ui.locale_style import style_from_locale
    from app.ui.presentation.formatting import current_style, use_style

    before = current_style()
    use_style(style_from_locale(QLocale("de_DE")))
    try:
        window, page = _window(qtbot, unmapped_month)
        page.tabs.setCurrentIndex(2)
        page.total_month.setText("2026-11")
        page.total_amount.setText("13200.00")
        page.save_total()
        _apply(qtbot, window, page)
        assert page.presenter.totals.rows[0][1] == "13.200,00\u00a0$"
        page.totals_table.selectRow(0)
        assert page.total_amount.text() == "13200.00"
    finally:
        use_style(before)


def test_go_live_company_currency_and_a_month_rate_from_the_window(qtbot, unmapped_month):
    """Issue 15: the go-live month and the company's currency are settings (previewed,
    undoable); the month's rate is entered on its tab, checked, and used at close."""
    from app.services.closing import close_period
    from app.services.invoices import load_policy

    window, page = _window(qtbot, unmapped_month)
    page.go_live.setText("2026-11")
    page.functional.setText("eur")
    page.save_settings()
    _apply(qtbot, window, page)
    settings = load_policy(unmapped_month).settings
    assert (settings.go_live, settings.functional_currency) == ("2026-11", "EUR")
    assert page.go_live.text() == "2026-11" and page.functional.text() == "EUR"

    rates = page.rates
    rates.month.setText("2026-10")
    rates.currency.setText("EUR")
    rates.rate.setText("-2")
    rates.source.setText("")
    rates.save()
    qtbot.waitUntil(lambda: "a rate is between" in rates.status.text(), timeout=20_000)
    assert "say where the rate comes from" in rates.status.text()
    rates.rate.setText("0.93")
    rates.source.setText("Treasury month-end rate")
    rates.save()
    qtbot.waitUntil(lambda: rates.presenter.table.rows != [], timeout=20_000)
    assert rates.presenter.table.rows == [
        ["October 2026", "EUR", "0.93", "Treasury month-end rate"]
    ]
    document = close_period(unmapped_month, "2026-10")
    assert document["billing"] == "showback"
    assert document["functional"]["rate"] == "0.93"
    window.workspace = None
