"""The Price book page with qtbot: an unpriced model on top fills the form; its price is
previewed (the invoices it changes), applied, and undone."""

from __future__ import annotations

from app.services.importing import import_file
from app.ui.main_window import MainWindow


def test_add_the_price_of_an_unpriced_model(qtbot, unmapped_month, tmp_path):
    log = tmp_path / "new.csv"
    log.write_text(
        "timestamp,request_id,api_key,model,input_tokens\n"
        "2026-11-03T10:00:00Z,n1,k-data,claude-newmodel-9,1000000\n",
        encoding="utf-8",
    )
    assert import_file(unmapped_month, log).status == "imported"
    window = MainWindow(remember=False)
    qtbot.addWidget(window)
    window.set_workspace(unmapped_month)
    window.show_page("prices")
    page = window.prices
    qtbot.waitUntil(lambda: not page.dirty and not page.loading, timeout=20_000)
    assert page.presenter.unpriced_table.rows == [
        ["claude-newmodel-9", "2026-11-03 – 2026-11-03", "1"]
    ]
    assert page.model.text() == "claude-newmodel-9"
    assert page.effective_from.text() == "2026-11-03"
    page.rates["input"].setText("2")
    page.rates["output"].setText("8")
    page.save()
    qtbot.waitUntil(lambda: not page.panel.isHidden(), timeout=20_000)
    assert page.panel.presenter.table.rows[0] == ["Data", "$9.00", "$11.00", "+$2.00"]
    with qtbot.waitSignal(window.editor.changed, timeout=20_000):
        page.panel.apply_button.click()
    qtbot.waitUntil(lambda: not page.dirty and not page.loading, timeout=20_000)
    assert page.presenter.unpriced == [] and page.unpriced.isHidden()
    yours = [r for r in page.presenter.table.rows if r[0] == "claude-newmodel-9"]
    assert yours == [["claude-newmodel-9", "2026-11-03", "2", "8", "", "", "", "yours"]]
    with qtbot.waitSignal(window.editor.changed, timeout=20_000):
        window.undo_action.trigger()
    qtbot.waitUntil(lambda: not page.dirty and not page.loading, timeout=20_000)
    assert [u.model for u in page.presenter.unpriced] == ["claude-newmodel-9"]
