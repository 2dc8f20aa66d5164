"""The command line contract (CONTRACT.md): exit codes, JSON shapes, messages on stderr."""

import json
from decimal import Decimal

from app.cli import main


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_init_import_report_json(tmp_path, capsys, data_dir):
    ws = tmp_path / "w.cbdesk"
    assert run(capsys, "init", ws)[0] == 0
    code, out, _ = run(
        capsys, "--workspace", ws, "import", data_dir / "gateway_requests.csv", "--json"
    )
    assert code == 0
    doc = json.loads(out)["imports"][0]
    assert doc["status"] == "imported" and doc["format"] == "gateway-csv"
    assert doc["rows_read"] == 6 and doc["duplicates_skipped"] == 1
    assert doc["cost"] == "0.21" and doc["period_start"] == "2026-10-01"
    code, out, _ = run(
        capsys, "--workspace", ws, "import", data_dir / "gateway_requests.csv", "--json"
    )
    assert code == 0 and json.loads(out)["imports"][0]["status"] == "skipped"
    code, out, _ = run(
        capsys, "--workspace", ws, "report", "--period", "2026-10", "--by", "model", "--json"
    )
    report = json.loads(out)
    assert code == 0 and report["total"] == "0.21"
    assert sum(Decimal(r["cost"]) for r in report["rows"]) == Decimal(report["total"])
    code, out, _ = run(
        capsys, "--workspace", ws, "report", "--period", "2026-10", "--by", "tag.team,day"
    )
    assert code == 0 and "data-team" in out and "Total" in out


def test_rejected_file_exit_2_with_line_and_column(tmp_path, capsys):
    ws = tmp_path / "w.cbdesk"
    run(capsys, "init", ws)
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "timestamp,model,input_tokens,output_tokens\n2026-10-01T00:00:00Z,claude-haiku-4-5,x,1\n"
    )
    code, out, err = run(capsys, "--workspace", ws, "import", bad, "--json")
    assert code == 2
    assert "bad.csv: line 2, column 'input_tokens': not a whole number: 'x'" in err
    assert json.loads(out)["imports"][0]["status"] == "rejected"
    assert "Traceback" not in err


def test_several_files_are_independent(tmp_path, capsys, data_dir):
    ws = tmp_path / "w.cbdesk"
    run(capsys, "init", ws)
    bad = tmp_path / "bad.csv"
    bad.write_text("nothing,here\n1,2\n")
    code, out, _ = run(
        capsys, "--workspace", ws, "import", bad, data_dir / "gateway_requests.csv", "--json"
    )
    statuses = [i["status"] for i in json.loads(out)["imports"]]
    assert code == 2 and statuses == ["rejected", "imported"]


def test_usage_errors_exit_2(tmp_path, capsys):
    code, _, err = run(
        capsys, "--workspace", tmp_path / "missing.cbdesk", "report", "--period", "2026-10"
    )
    assert code == 2 and "No workspace" in err
    ws = tmp_path / "w.cbdesk"
    run(capsys, "init", ws)
    code, _, err = run(capsys, "--workspace", ws, "report", "--period", "October")
    assert code == 2 and "YYYY-MM" in err
    code, _, err = run(capsys, "--workspace", ws, "report", "--period", "2026-10", "--by", "x")
    assert code == 2 and "cannot group by 'x'" in err
    assert run(capsys, "init", ws)[0] == 2


def test_formats_lists_every_importer(capsys):
    code, out, _ = run(capsys, "formats")
    assert code == 0
    for format_id in (
        "gateway-csv",
        "anthropic-usage-json",
        "console-usage-csv",
        "focus-csv",
        "provider-invoice-csv",
        "litellm-jsonl",
    ):
        assert format_id in out


def test_self_test_passes(capsys):
    """The self-test exercises every export, the demo and every page of the window (a frozen
    build runs it after packaging)."""
    from app.services.exports import KINDS
    from app.ui.presentation.navigation import PAGE_NAMES

    code, out, _ = run(capsys, "--self-test")
    assert code == 0, out
    assert "self-test passed" in out
    for kind in (*KINDS, "pdf"):
        assert f"ok   export {kind}: " in out
    for page in PAGE_NAMES:
        assert f"ok   page {page} renders" in out
    assert "ok   demo workspace built" in out
    assert "ok   shared workspaces: psycopg" in out


def test_price_entry_prices_an_unpriced_model(tmp_path, capsys):
    ws = tmp_path / "w.cbdesk"
    run(capsys, "init", ws)
    log = tmp_path / "g.csv"
    log.write_text(
        "timestamp,model,input_tokens,output_tokens\n"
        "2026-10-01T00:00:00Z,claude-opus-9,1000000,1000000\n"
    )
    _, out, _ = run(capsys, "-w", ws, "import", log, "--json")
    assert json.loads(out)["imports"][0]["unpriced_models"] == ["claude-opus-9"]
    code, out, _ = run(capsys, "-w", ws, "report", "--period", "2026-10", "--json")
    assert json.loads(out)["unpriced_lines"] == 1
    code, _, _ = run(
        capsys,
        "-w",
        ws,
        "prices",
        "set",
        "Claude Opus 9",
        "--input",
        "5",
        "--output",
        "25",
        "--from",
        "2026-10-01",
    )
    assert code == 0
    code, out, _ = run(capsys, "-w", ws, "report", "--period", "2026-10", "--json")
    report = json.loads(out)
    assert report["unpriced_lines"] == 0 and report["total"] == "30.00"
    code, out, _ = run(capsys, "-w", ws, "prices", "--json")
    entry = next(p for p in json.loads(out)["prices"] if p["model"] == "claude-opus-9")
    assert entry["source"] == "user" and entry["input"] == "5"
    code, _, err = run(capsys, "-w", ws, "prices", "set", "m", "--input", "-1", "--output", "1")
    assert code == 2 and "negative" in err


def test_init_demo_builds_the_demo(tmp_path, capsys):
    code, out, _ = run(capsys, "init", tmp_path / "demo.cbdesk", "--demo")
    assert code == 0 and "demo data" in out
    code, out, _ = run(
        capsys, "-w", tmp_path / "demo.cbdesk", "report", "--period", "2026-05", "--json"
    )
    assert Decimal(json.loads(out)["total"]) > 15000


def test_the_console_command_flushes_its_output_closes_the_workspace_and_keeps_its_exit_code(
    tmp_path, data_dir
):
    """The installed command leaves the process at once after a command: everything it
    printed arrives, the workspace is closed (no write-ahead log left beside it), and the exit
    status is the command's."""
    import subprocess
    import sys

    ws = tmp_path / "w.cbdesk"
    command = [sys.executable, "-m", "app", "--workspace", str(ws)]
    subprocess.run([sys.executable, "-m", "app", "init", str(ws)], check=True)
    subprocess.run([*command, "import", str(data_dir / "gateway_requests.csv")], check=True)
    done = subprocess.run(
        [*command, "invoices", "--period", "2026-10", "--json"], capture_output=True, text=True
    )
    assert done.returncode == 0
    assert json.loads(done.stdout)["direct_total"] == "0.21"
    assert not (tmp_path / "w.cbdesk-wal").exists()
    bad = subprocess.run(
        [*command, "invoices", "--period", "2026-13"], capture_output=True, text=True
    )
    assert bad.returncode == 2 and "YYYY-MM" in bad.stderr and not bad.stdout


def test_a_command_run_in_process_leaves_the_cycle_collector_as_it_found_it(
    tmp_path, capsys, data_dir
):
    """Only the console command (which ends right after) runs without the cycle collector;
    ``main`` called in a longer-lived process leaves it on."""
    import gc

    ws = tmp_path / "w.cbdesk"
    assert run(capsys, "init", ws)[0] == 0
    assert run(capsys, "--workspace", ws, "import", data_dir / "gateway_requests.csv")[0] == 0
    assert run(capsys, "--workspace", ws, "invoices", "--period", "2026-10")[0] == 0
    assert gc.isenabled()


def test_a_price_entry_can_carry_a_fast_mode_multiplier(tmp_path, capsys):
    ws = _new_workspace(tmp_path, capsys)
    code, _, _ = run(
        capsys,
        "-w",
        ws,
        "prices",
        "set",
        "claude-opus-9",
        "--input",
        "5",
        "--output",
        "25",
        "--fast-multiplier",
        "3",
    )
    assert code == 0
    _, out, _ = run(capsys, "-w", ws, "prices", "--json")
    entry = next(p for p in json.loads(out)["prices"] if p["model"] == "claude-opus-9")
    assert entry["fast_multiplier"] == "3"
    _, text, _ = run(capsys, "-w", ws, "prices")
    opus_5_5 = next(line for line in text.splitlines() if line.startswith("claude-opus-5-5 "))
    assert "×2" in opus_5_5


def _new_workspace(tmp_path, capsys):
    ws = tmp_path / "w.cbdesk"
    run(capsys, "init", ws)
    return ws


def test_an_unpriced_model_in_an_import_names_the_command_that_prices_it(tmp_path, capsys):
    ws = _new_workspace(tmp_path, capsys)
    log = tmp_path / "g.csv"
    log.write_text("timestamp,model,input_tokens\n2026-11-02T10:00:00Z,claude-opus-9,100\n")
    _, out, _ = run(capsys, "-w", ws, "import", log)
    assert "1 UNPRICED line (claude-opus-9)" in out
    assert "'chargeback-desk prices set claude-opus-9 --input USD --output USD'" in out


def test_prices_import_and_export_from_the_command_line(tmp_path, capsys):
    ws = _new_workspace(tmp_path, capsys)
    bad = tmp_path / "bad.csv"
    bad.write_text("model,input,output\nclaude-opus-9,abc,25\n")
    code, _, err = run(capsys, "-w", ws, "prices", "import", bad)
    assert code == 2
    assert err.strip() == (
        "chargeback-desk: bad.csv, row 2: price entry for 'claude-opus-9': "
        "input is not a number: 'abc'"
    )
    good = tmp_path / "good.csv"
    good.write_text("model,effective_from,input,output\nclaude-opus-9,2026-11-01,5,25\n")
    code, out, _ = run(capsys, "-w", ws, "prices", "import", good)
    assert code == 0 and "1 price entry added, 0 replaced" in out
    code, out, _ = run(capsys, "-w", ws, "prices", "export", "--out", tmp_path / "all.toml")
    assert code == 0 and 'model = "claude-opus-9"' in (tmp_path / "all.toml").read_text()


def test_a_contract_discount_from_the_command_line(tmp_path, capsys):
    ws = _new_workspace(tmp_path, capsys)
    code, _, err = run(capsys, "-w", ws, "prices", "discount", "150")
    assert code == 2 and "between 0 and 100" in err
    code, out, _ = run(
        capsys,
        "-w",
        ws,
        "prices",
        "discount",
        "12.5",
        "--model",
        "Claude Opus 5.5",
        "--from",
        "2026-11-01",
        "--note",
        "EA 2026",
    )
    assert code == 0 and "Discount of 12.5% on claude-opus-5-5 from 2026-11-01" in out
    code, out, _ = run(capsys, "-w", ws, "prices")
    assert "12.5% on claude-opus-5-5 from 2026-11-01 — EA 2026" in out
    code, out, _ = run(capsys, "-w", ws, "prices", "--json")
    assert json.loads(out)["discounts"] == [
        {
            "model": "claude-opus-5-5",
            "effective_from": "2026-11-01",
            "percent": "12.5",
            "note": "EA 2026",
        }
    ]
