"""Explore: the month grouped by a dimension, drill down Team → Product → Model → Day, back by
the breadcrumb or Alt+Left; the presenter without Qt, the page with qtbot."""

from decimal import Decimal

import pytest

from app.services.demo import build_demo_workspace
from app.services.invoices import invoice_document
from app.ui.presentation.explore import ExplorePresenter


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    workspace = build_demo_workspace(tmp_path_factory.mktemp("explore") / "demo.cbdesk")
    yield workspace
    workspace.dispose()


def test_drilling_down_keeps_the_money_and_the_breadcrumb_goes_back(demo):
    presenter = ExplorePresenter(demo)
    presenter.reload()
    assert presenter.group_by == "team"
    document = invoice_document(demo, "2026-11")
    usage = {
        invoice["team"]: sum(
            Decimal(line["amount"]) for line in invoice["lines"] if line["kind"] == "usage"
        )
        for invoice in document["invoices"]
    }
    teams = {g.value: g.cost for g in presenter.groups}
    for team, amount in usage.items():
        assert abs(teams[team] - amount) < Decimal("0.01")  # the invoice's usage line
    data = next(i for i, g in enumerate(presenter.groups) if g.value == "Data")
    data_cost = presenter.groups[data].cost
    assert presenter.drill(data)
    presenter.reload()  # the page reads each level on a worker
    assert presenter.group_by == "product" and presenter.crumbs() == ["Whole month", "Team: Data"]
    assert sum(g.cost for g in presenter.groups) == data_cost
    assert presenter.drill(0) and presenter.group_by == "model"
    presenter.reload()
    assert presenter.drill(0) and presenter.group_by == "day"
    presenter.reload()
    detail = presenter.place_detail()
    presenter.back_to(1)
    presenter.reload()
    assert presenter.crumbs() == ["Whole month", "Team: Data"] and presenter.group_by == "product"
    presenter.go_to(detail)
    presenter.reload()
    assert presenter.group_by == "day" and len(presenter.path) == 3
    # Any dimension: the API keys behind Data's cost add up to it.
    presenter.back_to(1)
    presenter.set_group_by("api_key")
    presenter.reload()
    assert presenter.table.columns[0].title == "API key"
    assert sum(g.cost for g in presenter.groups) == data_cost


def test_a_team_on_the_dashboard_opens_explore_and_back_returns(qtbot, demo):
    from PySide6.QtCore import Qt

    from app.ui.main_window import MainWindow

    window = MainWindow(remember=False)
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.set_workspace(demo)
        window.show()
        window.activateWindow()
    qtbot.waitUntil(lambda: not window.dashboard.loading, timeout=20_000)
    window.dashboard.team_chosen.emit("Data")
    page = window.explore
    qtbot.waitUntil(lambda: not page.loading and not page.dirty, timeout=20_000)
    assert window.current_page_name == "explore"
    assert page.presenter.path == [("team", "Data")] and page.presenter.group_by == "product"
    page.drill(0)
    assert page.presenter.group_by == "model" and page.loading
    qtbot.waitUntil(lambda: not page.loading, timeout=20_000)
    window.nav.setFocus()
    qtbot.keyClick(window.nav, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert page.presenter.group_by == "product"  # Back: one level up
    qtbot.waitUntil(lambda: not page.loading, timeout=20_000)
    assert page.presenter.table.columns[0].title == "Product"
    qtbot.keyClick(window.nav, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert window.current_page_name == "dashboard"
    # Found clicking through under X11: Explore entered from the navigation, drilled, then
    # Back must show the whole month again.
    window.show_page("explore")
    qtbot.waitUntil(lambda: not page.loading and not page.dirty, timeout=20_000)
    start = page.presenter.place_detail()
    page.drill(0)
    qtbot.waitUntil(lambda: not page.loading, timeout=20_000)
    qtbot.keyClick(window.nav, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: not page.loading and not page.dirty, timeout=20_000)
    assert page.presenter.place_detail() == start
    window.close()
    window.workspace = None


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_the_view_is_exported_and_rows_copied(qtbot, demo, tmp_path, suffix):
    from openpyxl import load_workbook
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication

    from app.ui.explore_page import ExplorePage

    page = ExplorePage(ExplorePresenter(demo))
    qtbot.addWidget(page)
    page.load()
    qtbot.waitUntil(lambda: not page.loading and not page.dirty, timeout=20_000)
    out = tmp_path / f"view{suffix}"
    with qtbot.waitSignal(page.exported, timeout=20_000) as written:
        page.export_view(out)
    assert written.args[0] == str(out)
    total = sum(g.cost for g in page.presenter.groups)
    if suffix == ".csv":
        lines = out.read_text(encoding="utf-8").splitlines()
        assert lines[1] == "team,requests,input_tokens,output_tokens,cost_usd"
        costs = [Decimal(line.split(",")[-1]) for line in lines[2:]]
    else:
        rows = list(load_workbook(out).active.iter_rows(values_only=True))
        costs = [Decimal(str(r[-1])) for r in rows[2:]]
    assert sum(costs) == total  # exact amounts, not the rounded display
    page.table.setFocus()
    page.table.selectRow(0)
    qtbot.keyClick(page.table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    copied = QGuiApplication.clipboard().text().splitlines()
    assert (
        copied[0].split("\t")[0] == "Team"
        and copied[1].split("\t")[0] == page.presenter.groups[0].value
    )


def test_a_day_opens_onto_its_usage_lines(demo):
    presenter = ExplorePresenter(demo)
    presenter.go_to(("team=Data", "by=day"))
    presenter.reload()
    day = next(i for i, g in enumerate(presenter.groups) if g.cost)
    day_cost = presenter.groups[day].cost
    assert presenter.drill(day) and presenter.group_by == "lines"
    presenter.reload()
    pages = presenter.line_pages
    assert presenter.crumbs()[-1].startswith("Day: 2026-11-")
    assert pages.total == day_cost and 0 < pages.count <= 200
    assert pages.summary() == f"{pages.count:,} lines · ${day_cost:,.2f}"
    titles = [column.title for column in pages.columns]
    assert titles[:7] == ["Team", "Product", "Environment", "Model", "Tier", "Day", "Cost"]
    assert {pages.cell(row, 0) for row in range(pages.count)} == {"Data"}
    assert pages.cell(pages.count, 0) is None  # past the last line: nothing read
    assert not presenter.can_drill() and not presenter.drill(0)
    out = presenter.export_task(demo.path.parent / "day.csv")()
    rows = out.read_text(encoding="utf-8").splitlines()
    assert rows[1].startswith("team,product,environment,model") and len(rows) == 2 + pages.count
    presenter.back_to(1)  # the breadcrumb: back to Data's days
    presenter.reload()
    assert presenter.line_pages is None
    assert presenter.group_by == "day" and presenter.table.columns[1].title == "Cost"


def test_the_chooser_offers_each_tag_and_the_lines_of_any_level(demo):
    presenter = ExplorePresenter(demo)
    presenter.reload()
    choices = dict(presenter.choices())
    assert choices["tag.team"] == "Tag team" and choices["lines"] == "Usage lines"
    assert list(choices)[:3] == ["team", "product", "environment"]
    assert presenter.set_group_by("tag.product")
    presenter.reload()
    total = sum(g.cost for g in presenter.groups)
    assert presenter.table.columns[0].title == "Tag product"
    presenter.set_group_by("lines")  # the whole month, line by line
    presenter.reload()
    assert presenter.line_pages.total == total and presenter.line_pages.count > 100


MODEL, USER = 3, 12
"""Columns of the lines table."""


def test_the_lines_table_pages_sorts_and_filters_on_workers(qtbot, qtmodeltester, demo):
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication

    from app.ui.explore_page import ExplorePage
    from app.ui.line_table import PLACEHOLDER

    page = ExplorePage(ExplorePresenter(demo))
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.show()
    page.presenter.go_to(("by=lines",))
    page.load("2026-10")  # 372 lines: two pages
    qtbot.waitUntil(lambda: not page.loading and not page.dirty, timeout=20_000)
    table, model = page.lines_table, page.lines_table.line_model
    pages = page.presenter.line_pages
    assert table.isVisible() and not page.table.isVisible() and not page.chart.isVisible()
    assert model.rowCount() == pages.count > 200
    whole = pages.count
    assert page.line_summary.text() == pages.summary()
    # A row past the first page is read on a worker: a placeholder until it is in.
    last = model.index(pages.count - 1, 0)
    assert model.data(last) == PLACEHOLDER
    qtbot.waitUntil(lambda: model.data(last) != PLACEHOLDER, timeout=10_000)
    qtmodeltester.check(model)
    model.wait()
    # Sorting by a heading: the order comes from SQL, the indicator follows.
    with qtbot.waitSignal(model.viewed, timeout=10_000):
        table.horizontalHeader().setSortIndicator(USER, Qt.SortOrder.AscendingOrder)
    users = [model.data(model.index(row, USER)) for row in range(200)]
    assert (
        users == sorted(users, key=str.casefold) and page.presenter.line_pages.view.order == "user"
    )
    # Filtering: count and total follow the words typed.
    with qtbot.waitSignal(model.viewed, timeout=10_000):
        qtbot.keyClicks(page.filter, "sonnet")
    filtered = page.presenter.line_pages
    assert 0 < filtered.count < whole and model.rowCount() == filtered.count
    assert page.line_summary.text().endswith("matching “sonnet”")
    first_page = range(min(200, filtered.count))
    assert all("sonnet" in model.data(model.index(row, MODEL)) for row in first_page)
    # Ctrl+C copies the selected lines, read on a worker.
    table.setFocus()
    table.selectRow(0)
    with qtbot.waitSignal(model.copied, timeout=10_000):
        qtbot.keyClick(table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    copied = QGuiApplication.clipboard().text().splitlines()
    assert copied[0].startswith("Team\tProduct") and copied[1].split("\t")[MODEL].count("sonnet")
    # Ctrl+A, Ctrl+C: every line, read on a worker in a few spans (not row by row).
    table.selectAll()
    assert table.selected_spans() == [(0, filtered.count - 1)]
    with qtbot.waitSignal(model.copied, timeout=10_000):
        qtbot.keyClick(table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert len(QGuiApplication.clipboard().text().splitlines()) == 1 + filtered.count
    # A sort and a filter asked for one after the other, before either is in: both count.
    with qtbot.waitSignal(model.viewed, timeout=10_000):
        model.sort(USER, Qt.SortOrder.DescendingOrder)
        page.filter.setText("opus")
        page._filter_lines()
    qtbot.waitUntil(lambda: page.presenter.line_pages.view.search == "opus", timeout=10_000)
    shown = page.presenter.line_pages.view
    assert (shown.order, shown.descending, shown.search) == ("user", True, "opus")
    assert table.horizontalHeader().sortIndicatorSection() == USER
    page.wait_for_workers()
    assert page.presenter.line_pages is None


def test_clicking_a_budget_bar_explores_that_team(qtbot, demo):
    from PySide6.QtCore import QPointF, Qt

    from app.ui.main_window import MainWindow

    window = MainWindow(remember=False)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.set_workspace(demo)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: not window.dashboard.loading, timeout=20_000)
    chart = window.dashboard.budget_chart
    first = window.dashboard.presenter.budget_bars[0]
    vb = chart.getPlotItem().vb
    scene = vb.mapViewToScene(QPointF(0, first.actual_cents / 200))
    with qtbot.waitSignal(chart.chosen, timeout=5_000) as clicked:
        qtbot.mouseClick(chart.viewport(), Qt.MouseButton.LeftButton, pos=chart.mapFromScene(scene))
    assert clicked.args == [first.team]
    qtbot.waitUntil(lambda: window.current_page_name == "explore", timeout=5_000)
    assert window.explore.presenter.path == [("team", first.team)]
    window.close()
    window.workspace = None


def test_clicking_a_team_s_part_of_a_month_explores_that_team_in_that_month(qtbot, demo):
    from PySide6.QtCore import QPointF, Qt

    from app.ui.main_window import MainWindow

    window = MainWindow(remember=False)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.set_workspace(demo)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: not window.dashboard.loading, timeout=20_000)
    chart = window.dashboard.months_chart
    stacked = window.dashboard.presenter.stacked
    column = stacked.months.index("2026-08")
    first, second = stacked.series[0], stacked.series[1]
    # Halfway up the second team's part of August's bar.
    dollars = (first.cents[column] + second.cents[column] / 2) / 100
    assert stacked.team_at(column, dollars) == second.team
    assert stacked.team_at(column, -1) is None
    scene = chart.getPlotItem().vb.mapViewToScene(QPointF(column, dollars))
    with qtbot.waitSignal(chart.chosen, timeout=5_000) as clicked:
        qtbot.mouseClick(chart.viewport(), Qt.MouseButton.LeftButton, pos=chart.mapFromScene(scene))
    assert clicked.args == ["2026-08", second.team]
    page = window.explore
    qtbot.waitUntil(lambda: window.current_page_name == "explore", timeout=5_000)
    qtbot.waitUntil(lambda: not page.loading and not page.dirty, timeout=20_000)
    assert page.presenter.path == [("team", second.team)]
    assert page.presenter.period == "2026-08" and page.month.currentText() == "August 2026"
    window.close()
    window.workspace = None


def _pages(count):
    from app.services.line_listing import LineListing, ListingView, stored_row
    from app.ui.presentation.line_pages import LinePages, read_view

    texts = ("t", "p", "e", "m", "standard", "2026-10-01", "k", "w", "u", "")
    listing = LineListing(iter(stored_row(texts, 1, 2, 3, Decimal(i)) for i in range(count)))
    return LinePages(read_view(listing, ListingView()))


def test_an_order_asked_for_on_a_level_left_never_shows_on_the_next(qtbot):
    from app.services.line_listing import ListingView
    from app.ui.line_table import LineTableModel

    model = LineTableModel()
    big, small = _pages(5_000), _pages(3)
    model.show_pages(big)
    model.ask_view(ListingView("team", descending=False))
    model.show_pages(small)  # the level changes before the order is in
    big.listing.release()  # the window lets go of the level left; the worker still reads it
    model.wait()
    qtbot.wait(50)  # deliver what the worker sent
    assert model.pages is small and model.rowCount() == 3 and small.view == ListingView()
    assert big.listing.closed  # closed by the worker, once done
    small.listing.release()


def test_a_page_of_a_closed_listing_is_not_asked_for(qtbot):
    from app.ui.line_table import PLACEHOLDER, LineTableModel

    model = LineTableModel()
    pages = _pages(500)
    model.show_pages(pages)
    pages.listing.release()
    assert model.data(model.index(400, 0)) == PLACEHOLDER  # no worker started, no error
    model.wait()
    assert not model._asked


def test_selecting_every_line_does_not_make_the_headings_walk_them(qtbot):
    from app.ui.line_table import LineTable, LineTableModel

    asked = []

    class CountingModel(LineTableModel):
        def rowCount(self, parent=None):
            asked.append(1)
            return super().rowCount() if parent is None else super().rowCount(parent)

    table = LineTable(model=CountingModel())
    qtbot.addWidget(table)
    pages = _pages(20_000)
    table.show_pages(pages)
    table.resize(900, 400)
    table.show()
    qtbot.waitExposed(table)
    asked.clear()
    table.selectAll()
    qtbot.wait(200)  # the window repaints the selection and the headings
    # Qt asks the selection whether each heading's column is selected: a walk over every line
    # unless the headings have a selection of their own.
    assert len(asked) < 1_000
    table.line_model.wait()
    pages.listing.release()
