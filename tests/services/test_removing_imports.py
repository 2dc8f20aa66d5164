"""Undoing a mistaken import: ``imports`` lists them with ids, ``imports remove ID`` removes one
of open periods (audited), and refuses with the reason when a closed period depends on it."""

import json

from app.cli import main
from app.services.closing import close_period
from app.services.importing import import_file
from app.services.reporting import cost_report
from app.workspace.audit import entries

HEADER = "timestamp,request_id,team,model,input_tokens,output_tokens\n"


def _log(tmp_path, name, day, request_id):
    path = tmp_path / name
    path.write_text(HEADER + f"{day}T10:00:00Z,{request_id},data,claude-haiku-4-5,1000000,0\n")
    return path


def test_list_remove_and_import_again(workspace, tmp_path, capsys):
    wrong = _log(tmp_path, "wrong.csv", "2026-10-03", "w1")
    import_file(workspace, _log(tmp_path, "good.csv", "2026-10-02", "g1"))
    import_file(workspace, wrong)
    assert main(["-w", workspace.location, "imports", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)["imports"]
    assert [(i["id"], i["file"]) for i in listed] == [(2, "wrong.csv"), (1, "good.csv")]
    assert main(["-w", workspace.location, "imports", "remove", "2"]) == 0
    assert "Removed import 2 (wrong.csv): 1 usage line(s)" in capsys.readouterr().out
    assert cost_report(workspace, "2026-10").total == 1
    with workspace.engine.connect() as conn:
        assert entries(conn)[0]["action"] == "import.remove"
    # The content is forgotten too: the corrected file (or the same one) imports again.
    assert import_file(workspace, wrong).status == "imported"
    assert cost_report(workspace, "2026-10").total == 2


def test_removal_is_refused_when_a_closed_month_billed_it(workspace, tmp_path, capsys):
    import_file(workspace, _log(tmp_path, "oct.csv", "2026-10-02", "o1"))
    close_period(workspace, "2026-10")
    assert main(["-w", workspace.location, "imports", "remove", "1"]) == 2
    err = capsys.readouterr().err
    assert "closed invoices of 2026-10 billed; reopen 2026-10 first" in err
    assert cost_report(workspace, "2026-10").total == 1
    assert main(["-w", workspace.location, "imports", "remove", "7"]) == 2
    assert "no import 7" in capsys.readouterr().err


def test_the_partial_overlap_message_names_the_command(workspace, tmp_path):
    header = (
        "usage_date_utc,model_version,api_key,workspace,usage_type,context_window,"
        "usage_input_tokens_no_cache,usage_input_tokens_cache_write_5m,"
        "usage_input_tokens_cache_write_1h,usage_input_tokens_cache_read,usage_output_tokens,"
        "web_search_count,inference_geo,speed\n"
    )
    row = "2026-10-01 {:02d}:00,claude-haiku-4-5,k,Default,standard,≤ 200k,1,0,0,0,0,0,,\n"
    first = tmp_path / "a.csv"
    first.write_text(header + row.format(8) + row.format(12))
    second = tmp_path / "b.csv"
    second.write_text(header + row.format(10) + row.format(14))
    import_file(workspace, first)
    report = import_file(workspace, second)
    assert "chargeback-desk imports remove 1" in report.message


CONSOLE_HEADER = (
    "usage_date_utc,model_version,api_key,workspace,usage_type,context_window,"
    "usage_input_tokens_no_cache,usage_input_tokens_cache_write_5m,"
    "usage_input_tokens_cache_write_1h,usage_input_tokens_cache_read,usage_output_tokens,"
    "web_search_count,inference_geo,speed\n"
)
ROW = "2026-10-01 {:02d}:00,claude-haiku-4-5,k,Default,standard,≤ 200k,{}000000,0,0,0,0,0,,\n"


def test_removing_a_replacing_export_lets_the_replaced_one_come_back(workspace, tmp_path, capsys):
    """Review finding: the replaced file was 'already imported' for ever."""
    first = tmp_path / "first.csv"
    first.write_text(CONSOLE_HEADER + ROW.format(8, 1))
    superset = tmp_path / "superset.csv"
    superset.write_text(CONSOLE_HEADER + ROW.format(8, 1) + ROW.format(9, 2))
    import_file(workspace, first)
    assert import_file(workspace, superset).lines_replaced == 1
    assert main(["-w", workspace.location, "imports", "remove", "2"]) == 0
    assert "line(s) of import(s) 1" in capsys.readouterr().out
    assert cost_report(workspace, "2026-10").total == 0
    assert import_file(workspace, first).status == "imported"
    assert cost_report(workspace, "2026-10").total == 1


def test_import_ids_are_never_reused(workspace, tmp_path, capsys):
    import_file(workspace, _log(tmp_path, "x.csv", "2026-10-02", "x1"))
    import_file(workspace, _log(tmp_path, "y.csv", "2026-10-03", "y1"))
    assert main(["-w", workspace.location, "imports", "remove", "2"]) == 0
    import_file(workspace, _log(tmp_path, "z.csv", "2026-10-04", "z1"))
    capsys.readouterr()
    assert main(["-w", workspace.location, "imports", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)["imports"]
    assert [(i["id"], i["file"]) for i in listed] == [(3, "z.csv"), (1, "x.csv")]
    assert main(["-w", workspace.location, "imports", "remove", "2"]) == 2


def test_an_import_later_logs_relied_on_cannot_be_removed_first(workspace, tmp_path, capsys):
    import_file(workspace, _log(tmp_path, "a.csv", "2026-10-02", "r1"))
    both = tmp_path / "b.csv"
    both.write_text(
        HEADER
        + "2026-10-02T10:00:00Z,r1,data,claude-haiku-4-5,1000000,0\n"
        + "2026-10-02T11:00:00Z,r2,data,claude-haiku-4-5,1000000,0\n"
    )
    assert import_file(workspace, both).requests_already_imported == 1
    assert main(["-w", workspace.location, "imports", "remove", "1"]) == 2
    assert "remove import(s) 2 first" in capsys.readouterr().err
    assert cost_report(workspace, "2026-10").total == 2
