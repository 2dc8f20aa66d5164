"""``gui --screenshot`` renders a page to a PNG of the documented size."""

from PySide6.QtGui import QImage

from app.ui.launch import run_gui


def test_screenshot_of_each_page(qapp, small_workspace, tmp_path):
    for page in ("dashboard", "invoices", "budgets", "insights", "imports"):
        png = tmp_path / f"{page}.png"
        assert run_gui(small_workspace.path, demo=False, page=page, screenshot=png) == 0
        image = QImage(str(png))
        assert (image.width(), image.height()) == (1280, 800)


def test_screenshot_of_a_bad_workspace_fails_cleanly(qapp, tmp_path, capsys):
    bad = tmp_path / "bad.cbdesk"
    bad.write_text("not a database")
    assert run_gui(bad, demo=False, page="dashboard", screenshot=tmp_path / "x.png") == 2
    assert "not a Chargeback Desk workspace" in capsys.readouterr().err
