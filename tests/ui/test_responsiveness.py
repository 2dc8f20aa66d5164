"""The UI thread only paints: pages fetch on a worker while the event loop keeps turning.
Timings on a big workspace come from ``python -m tests.bench.bench_window``; here the wiring
is checked on the demo workspace, with no time asserted."""

import pytest

from app.services.demo import build_demo_workspace
from app.ui.main_window import MainWindow
from tests.ui.stalls import StallRecorder


def test_pages_load_on_a_worker_and_the_event_loop_keeps_turning(qtbot, tmp_path):
    workspace = build_demo_workspace(tmp_path / "demo.cbdesk")
    window = MainWindow(remember=False)
    qtbot.addWidget(window)
    recorder = StallRecorder()
    window.set_workspace(workspace)
    page = window.dashboard
    # set_workspace returned before the month was read: the window is usable at once.
    assert page.loading and page.presenter.period is None
    recorder.start()
    qtbot.waitUntil(lambda: not page.loading, timeout=20_000)
    assert page.presenter.period == "2026-11"
    page.month.setCurrentIndex(page.month.count() - 1)
    # Choosing a month starts a fetch; the old month stays on screen until the new one is in.
    assert page.loading and page.presenter.period == "2026-11"
    qtbot.waitUntil(lambda: not page.loading, timeout=20_000)
    recorder.stop()
    assert page.presenter.period == "2026-05"
    assert recorder.ticks > 1  # the event loop turned while the months were read
    window.close()
    workspace.dispose()


def test_the_recorder_measures_a_blocked_event_loop(qtbot):
    import time

    from PySide6.QtCore import QTimer

    recorder = StallRecorder()
    recorder.start()
    QTimer.singleShot(20, lambda: time.sleep(0.15))
    qtbot.wait(300)
    recorder.stop()
    assert 0.12 < recorder.longest < 1.0


def test_the_window_takes_the_interpreter_as_soon_as_it_needs_it(qtbot):
    import sys

    from app.ui.responsiveness import SWITCH_INTERVAL

    before = sys.getswitchinterval()
    sys.setswitchinterval(0.005)  # CPython's default
    try:
        window = MainWindow(remember=False)
        qtbot.addWidget(window)
        assert sys.getswitchinterval() == pytest.approx(SWITCH_INTERVAL) and SWITCH_INTERVAL < 0.005
    finally:
        sys.setswitchinterval(before)


def test_table_columns_fit_their_widest_text_without_asking_every_row(qtbot):
    from PySide6.QtGui import QFont, QFontMetrics

    from app.ui.presentation.table import Column, TableState
    from app.ui.table_model import StateTableModel
    from app.ui.widgets import FinanceTable

    asked = []

    class CountingModel(StateTableModel):
        def data(self, index, role=0):
            asked.append(role)
            return super().data(index, role)

    rows = [[f"Team {i}", f"${i:,}.00", "On track"] for i in range(300)]
    rows[123][2] = "At risk (forecast 189% of budget)"
    state = TableState(
        [Column("Team"), Column("Invoice", True), Column("Status")],
        rows,
        total=["Total", "$44,850.00", ""],
    )
    table = FinanceTable(state)
    qtbot.addWidget(table)
    table.table_model = CountingModel(state)
    table.setModel(table.table_model)
    table.resize(900, 400)
    table.show()
    qtbot.waitExposed(table)
    table.refresh()
    header = table.horizontalHeader()
    metrics = QFontMetrics(table.font())
    bold = QFont(table.font())
    bold.setBold(True)
    assert header.sectionSize(2) > metrics.horizontalAdvance("At risk (forecast 189% of budget)")
    assert header.sectionSize(1) > QFontMetrics(bold).horizontalAdvance("$44,850.00")
    assert header.sectionSize(1) > QFontMetrics(header.font()).horizontalAdvance("Invoice")
    # Only the rows on screen are painted: the 300 rows are not each asked for their size.
    assert len(asked) < 300 * 3
