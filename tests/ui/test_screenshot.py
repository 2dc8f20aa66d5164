"""``gui --screenshot`` renders a page to a PNG of the documented size."""

from PySide6.QtGui import QImage

from app.ui.launch import run_gui


def test_screenshot_of_each_page(qapp, small_workspace, tmp_path):
    for page in ("dashboard", "explore", "invoices", "budgets", "insights", "imports"):
        png = tmp_path / f"{page}.png"
        assert run_gui(small_workspace.path, demo=False, page=page, screenshot=png) == 0
        image = QImage(str(png))
        assert (image.width(), image.height()) == (1280, 800)


def test_screenshot_of_a_bad_workspace_fails_cleanly(qapp, tmp_path, capsys):
    bad = tmp_path / "bad.cbdesk"
    bad.write_text("not a database")
    assert run_gui(bad, demo=False, page="dashboard", screenshot=tmp_path / "x.png") == 2
    assert "not a Chargeback Desk workspace" in capsys.readouterr().err


def test_why_qt_cannot_start_goes_to_stderr_with_the_packages(capsys):
    from PySide6.QtCore import QtMsgType

    from app.ui.launch import LINUX_PACKAGES, _qt_message

    _qt_message(QtMsgType.QtFatalMsg, None, 'Could not load the Qt platform plugin "xcb"')
    err = capsys.readouterr().err
    assert err.startswith("chargeback-desk: the window cannot start: Could not load")
    if __import__("sys").platform.startswith("linux"):
        assert LINUX_PACKAGES in err
    _qt_message(QtMsgType.QtDebugMsg, None, "chatter")
    assert capsys.readouterr().err == ""
