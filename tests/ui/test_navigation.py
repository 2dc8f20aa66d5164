"""Where the window has been: the navigator without Qt, Back and Forward in the window."""

from app.ui.presentation.navigation import PAGE_NAMES, Navigator, Place


def test_back_and_forward_walk_the_history_like_a_browser():
    navigator = Navigator()
    for page in ("dashboard", "invoices", "budgets"):
        assert navigator.go(Place(page))
    assert not navigator.go(Place("budgets"))  # already there: not a step
    assert navigator.back() == Place("invoices")
    assert navigator.back() == Place("dashboard")
    assert navigator.back() is None and not navigator.can_go_back
    assert navigator.forward() == Place("invoices")
    navigator.go(Place("imports"))  # somewhere new drops the forward history
    assert not navigator.can_go_forward
    assert navigator.back() == Place("invoices")


def test_one_list_of_pages_drives_the_cli_and_the_window():
    from app.cli import PAGES as CLI_PAGES

    assert tuple(CLI_PAGES) == PAGE_NAMES
    assert PAGE_NAMES == (
        "dashboard",
        "explore",
        "invoices",
        "disputes",
        "budgets",
        "insights",
        "forecast",
        "imports",
        "taxonomy",
        "unallocated",
        "rules",
        "pools",
        "prices",
        "reconciliation",
        "hygiene",
        "audit",
    )


def test_the_window_goes_back_and_forward_with_alt_arrows(qtbot, small_workspace):
    from PySide6.QtCore import Qt

    from app.ui.main_window import MainWindow

    window = MainWindow(remember=False)
    qtbot.addWidget(window)
    window.set_workspace(small_workspace)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    window.nav.setFocus()
    window.show_page("invoices")
    window.show_page("budgets")
    assert window.current_page_name == "budgets"
    qtbot.keyClick(window.nav, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert window.current_page_name == "invoices"
    assert window.stack.currentWidget() is window.invoices
    assert window.nav.currentRow() == PAGE_NAMES.index("invoices")
    qtbot.keyClick(window.nav, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert window.current_page_name == "dashboard"
    assert not window.back_action.isEnabled()
    qtbot.keyClick(window.nav, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert window.current_page_name == "invoices"
    qtbot.keyClick(window.nav, Qt.Key.Key_8, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page_name == "imports"
    window.close()
    window.workspace = None
