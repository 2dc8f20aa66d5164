"""Light and dark: the window follows the system, or the environment's choice."""

from app.ui import theme


def test_the_environment_chooses_light_or_dark(qapp, monkeypatch):
    monkeypatch.setenv("CHARGEBACK_DESK_THEME", "dark")
    assert theme.current() is theme.DARK
    monkeypatch.setenv("CHARGEBACK_DESK_THEME", "light")
    assert theme.current() is theme.LIGHT
    dark = theme.style_sheet(theme.DARK)
    assert theme.DARK.window in dark and theme.DARK.text in dark


def test_a_dark_window_paints_its_charts_and_tables_dark(qtbot, monkeypatch, small_workspace):
    from PySide6.QtGui import QColor

    from app.ui.main_window import MainWindow

    monkeypatch.setenv("CHARGEBACK_DESK_THEME", "dark")
    window = MainWindow(remember=False)
    qtbot.addWidget(window)
    window.set_workspace(small_workspace)
    qtbot.waitUntil(lambda: not window.dashboard.loading, timeout=20_000)
    chart = window.dashboard.chart
    assert chart.backgroundBrush().color() == QColor(theme.DARK.chart_background)
    assert theme.DARK.window in window.styleSheet()
    window.workspace = None
