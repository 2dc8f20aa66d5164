"""The UI thread only paints: pages fetch on a worker while the event loop keeps turning.
Timings on a big workspace come from ``python -m tests.bench.bench_window``; here the wiring
is checked on the demo workspace, with no time asserted."""

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
