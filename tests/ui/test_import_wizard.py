"""The import wizard with qtbot: a CSV no importer knows through every step (detection and
preview, mapping, import, outcome), the profile reused for the next file, bad rows with the
offer to import the good rows, and cancel leaving nothing."""

from __future__ import annotations

import shutil

from app.services.file_mapping import FileFound, RunResult, first_draft, read_draft
from app.services.import_history import list_imports
from app.services.import_profiles import profiles
from app.ui.import_wizard import MAPPING_PAGE, RUN_PAGE, ImportWizard
from app.ui.presentation.import_wizard import outcome, target_choices

ERP_TARGETS = {
    "Zeit": "timestamp",
    "Modell": "model",
    "Eingabe": "input_tokens",
    "Ausgabe": "output_tokens",
    "Schlüssel": "api_key",
    "Abteilung": "tag:department",
    "Notiz": "ignore",
}


def _wizard(qtbot, workspace, paths):
    wizard = ImportWizard(workspace, paths)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitUntil(lambda: wizard.files_page.isComplete(), timeout=20_000)
    return wizard


def _map_erp(qtbot, wizard):
    page = wizard.mapping_page
    qtbot.waitUntil(lambda: page.draft is not None and not page.reading, timeout=20_000)
    # Delimiter and header line were guessed (a title line sits above the table).
    assert page.delimiter.currentData() == ";" and page.header_row.value() == 2
    assert page.columns.rowCount() == 7
    for row in range(page.columns.rowCount()):
        column = page.columns.item(row, 0).text()
        combo = page.columns.cellWidget(row, 2)
        combo.setCurrentIndex(combo.findData(ERP_TARGETS[column]))
    assert not page.isComplete()  # the dates are day-first: not ISO
    assert any(
        "not a date/time: '02.11.2026 09:15'" in page.problems.item(i).text()
        for i in range(page.problems.count())
    )
    page.date_format.setCurrentIndex(page.date_format.findData("%d.%m.%Y %H:%M"))
    page.name.setText("ERP export")
    assert page.isComplete(), [page.problems.item(i).text() for i in range(page.problems.count())]


def test_a_new_csv_through_every_step_and_the_profile_reused(qtbot, workspace, data_dir, tmp_path):
    erp = tmp_path / "erp_ai_usage.csv"
    shutil.copy(data_dir / "erp_ai_usage.csv", erp)
    gateway = tmp_path / "gateway_requests.csv"
    shutil.copy(data_dir / "gateway_requests.csv", gateway)
    wizard = _wizard(qtbot, workspace, [erp, gateway])
    files = wizard.files_page
    assert [row[1] for row in files.table_state.rows] == [
        "Not a known format: map its columns in the next step",
        "Gateway request log (CSV)",
    ]
    qtbot.waitUntil(lambda: bool(files.preview_state.rows), timeout=20_000)
    assert files.nextId() == MAPPING_PAGE
    wizard.next()
    assert wizard.currentId() == MAPPING_PAGE
    _map_erp(qtbot, wizard)
    with qtbot.waitSignal(wizard.imported, timeout=30_000):
        wizard.next()
    run = wizard.run_page
    qtbot.waitUntil(lambda: run.isComplete(), timeout=30_000)
    assert [row[:3] for row in run.table_state.rows] == [
        ["erp_ai_usage.csv", "Imported", "profile “ERP export”"],
        ["gateway_requests.csv", "Imported", "gateway-csv"],
    ]
    assert run.table_state.rows[0][3:] == ["2026-11-02 – 2026-11-03", "2", "$4.50"]
    assert "Next: the Unallocated page" in run.status.text()
    assert [p.name for p in profiles(workspace)] == ["ERP export"]
    wizard.done(1)

    # The next month's export has the same header: the saved profile reads it, no mapping.
    december = tmp_path / "erp_december.csv"
    december.write_text(
        erp.read_text(encoding="utf-8").replace("02.11.2026", "05.11.2026"), encoding="utf-8"
    )
    again = _wizard(qtbot, workspace, [december])
    assert again.files_page.table_state.rows[0][1] == "CSV read with the saved profile “ERP export”"
    assert again.files_page.nextId() == RUN_PAGE
    again.done(0)


def test_bad_rows_are_named_and_the_good_rows_can_be_imported(qtbot, workspace, tmp_path):
    bad = tmp_path / "usage.csv"
    bad.write_text(
        "timestamp,model,input_tokens\n"
        "2026-11-02T10:00:00Z,claude-haiku-4-5,1000000\n"
        "2026-11-02T11:00:00Z,claude-haiku-4-5,lots\n",
        encoding="utf-8",
    )
    wizard = _wizard(qtbot, workspace, [bad])
    wizard.next()
    run = wizard.run_page
    qtbot.waitUntil(lambda: run.isComplete(), timeout=30_000)
    assert run.table_state.rows[0][1] == "Not imported"
    problems = [run.problems.item(i).text() for i in range(run.problems.count())]
    assert "usage.csv: line 3, column 'input_tokens': not a whole number: 'lots'" in problems
    assert not run.good_rows.isHidden()
    with qtbot.waitSignal(wizard.imported, timeout=30_000):
        run.good_rows.click()
    qtbot.waitUntil(lambda: run.isComplete(), timeout=30_000)
    assert run.table_state.rows[0][1] == "Imported"
    assert len(list_imports(workspace)) == 1
    wizard.done(1)


def test_cancel_leaves_nothing(qtbot, workspace, tmp_path):
    from tests.bench.gateway_log import write_gateway_log

    big = write_gateway_log(tmp_path / "big.csv", 40_000)
    wizard = _wizard(qtbot, workspace, [big])
    wizard.next()
    run = wizard.run_page
    run.cancel()
    qtbot.waitUntil(lambda: run.isComplete(), timeout=30_000)
    assert run.status.text().startswith("Cancelled: the file being read was left out.")
    assert list_imports(workspace) == []
    assert not wizard.button(wizard.WizardButton.BackButton).isVisible()
    wizard.done(0)


def test_the_mapping_step_guesses_and_offers_tags(data_dir):
    draft = read_draft(first_draft(data_dir / "erp_ai_usage.csv"))
    assert draft.delimiter == ";" and draft.header_row == 2
    assert draft.read_problem == "" and len(draft.header) == 7
    assert draft.targets["Zeit"] == "tag:zeit" and draft.targets["Notiz"] == "tag:notiz"
    assert draft.targets["Schlüssel"] == "tag:schlüssel"  # any script, as Explore reads tags
    choices = dict(target_choices("Abteilung"))
    assert choices["tag:abteilung"] == "Tag “abteilung”" and "tag:department" in choices
    assert outcome(RunResult([], cancelled=True)).headline.startswith("Cancelled")
    assert FileFound(data_dir, needs_mapping=True).needs_mapping
