"""Bad input through the command line: exit 2, one clear message naming file / line / column,
no traceback or SQL text, and nothing changed (issue 8, "Clear errors, nothing changed")."""

from __future__ import annotations

import hashlib
import json

import pytest

from app.cli import main
from app.services.workspaces import create_workspace

HEADER = "timestamp,request_id,team,model,input_tokens,output_tokens\n"


@pytest.fixture
def ws_path(tmp_path):
    workspace = create_workspace(tmp_path / "w.cbdesk")
    workspace.dispose()
    return tmp_path / "w.cbdesk"


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run(capsys, *args):
    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def assert_clean(err):
    for word in ("Traceback", "sqlite3", "SELECT", "INSERT", "OperationalError", "IntegrityError"):
        assert word not in err, err


def _gateway(tmp_path, body, name="g.csv", header=HEADER):
    path = tmp_path / name
    path.write_text(header + body)
    return path


@pytest.mark.parametrize("token", ["N/A", "NULL", "#N/A", "NaN", "nan", "1e30", "1" + "0" * 30])
def test_bad_token_cells_are_named_rows_in_both_readers(ws_path, tmp_path, capsys, token):
    """Issue 8, case 5: the fast path read N/A, NULL, #N/A, NaN as 0."""
    body = "".join(
        f"2026-10-01T{h:02d}:00:00Z,r{h},data,claude-haiku-4-5,{token if h == 7 else 10},1\n"
        for h in range(3, 12)
    )
    path = _gateway(tmp_path, body)
    before = digest(ws_path)
    code, _, err = run(capsys, "-w", ws_path, "import", path)
    assert code == 2
    assert "line 6" in err and "'input_tokens'" in err
    assert_clean(err)
    assert digest(ws_path) == before


@pytest.mark.parametrize("count", [2**63, 2**64 + 5, 10**12 + 1])
def test_huge_token_counts_are_bad_rows_not_negative_money(ws_path, tmp_path, capsys, count):
    path = _gateway(tmp_path, f"2026-10-01T03:00:00Z,r1,data,claude-haiku-4-5,{count},1\n")
    code, _, err = run(capsys, "-w", ws_path, "import", path)
    assert code == 2 and "line 2" in err and "input_tokens" in err
    assert_clean(err)


def test_a_duplicated_header_name_is_rejected_with_the_column(ws_path, tmp_path, capsys):
    path = _gateway(
        tmp_path,
        "2026-10-01T03:00:00Z,r1,data,claude-haiku-4-5,10,1,99\n",
        header="timestamp,request_id,team,model,input_tokens,output_tokens,input_tokens\n",
    )
    code, _, err = run(capsys, "-w", ws_path, "import", path)
    assert code == 2 and "'input_tokens'" in err and "twice" in err
    assert_clean(err)


@pytest.mark.parametrize(
    ("stamp", "reason"),
    [
        ("0001-01-01T00:00:00+01:00", "date"),
        ("9999-12-31T23:59:59-05:00", "date"),
        ("2019-12-31T23:00:00Z", "before 2020"),
        ("2026-11-27T10:00:00Z", "future"),
    ],
)
def test_dates_out_of_range_are_named_bad_rows(ws_path, tmp_path, capsys, stamp, reason):
    path = _gateway(tmp_path, f"{stamp},r1,data,claude-haiku-4-5,10,1\n")
    code, _, err = run(capsys, "-w", ws_path, "import", path)
    assert code == 2 and "line 2" in err and "timestamp" in err, err
    assert reason in err
    assert_clean(err)


@pytest.mark.parametrize("amount", ['"NaN"', '"Infinity"', '"1e999999"', "NaN", "1e999999"])
def test_impossible_amounts_in_a_cost_report_change_nothing(ws_path, tmp_path, capsys, amount):
    report = {
        "data": [
            {
                "starting_at": "2026-10-01T00:00:00Z",
                "ending_at": "2026-10-02T00:00:00Z",
                "results": [
                    {
                        "amount": "__AMOUNT__",
                        "currency": "USD",
                        "description": "Claude Haiku 4.5 Usage - Input Tokens",
                        "cost_type": "tokens",
                        "model": "claude-haiku-4-5",
                        "token_type": "uncached_input_tokens",
                        "service_tier": "standard",
                        "context_window": "0-200k",
                    }
                ],
            }
        ],
        "has_more": False,
        "next_page": None,
    }
    path = tmp_path / "cost.json"
    path.write_text(json.dumps(report).replace('"__AMOUNT__"', amount))
    before = digest(ws_path)
    code, _, err = run(capsys, "-w", ws_path, "import", path)
    assert code == 2 and "amount" in err
    assert_clean(err)
    assert digest(ws_path) == before
    assert run(capsys, "-w", ws_path, "reconcile", "--period", "2026-10")[0] == 0


def test_deeply_nested_json_lines_are_a_bad_row(ws_path, tmp_path, capsys):
    path = tmp_path / "deep.jsonl"
    good = (
        '{"timestamp": "2026-10-01T00:00:00Z", "request_id": "a", "model": "claude-haiku-4-5",'
        ' "input_tokens": 1, "output_tokens": 1}\n'
    )
    path.write_text(good + '{"usage": ' + "[" * 200_000 + "]" * 200_000 + "}\n")
    code, _, err = run(capsys, "-w", ws_path, "import", path)
    assert code == 2 and "line 2" in err
    assert_clean(err)


def test_a_field_beyond_the_csv_limit_is_named(ws_path, tmp_path, capsys):
    path = _gateway(tmp_path, f'2026-10-01T03:00:00Z,r1,"{"x" * 200_000}",claude-haiku-4-5,1,1\n')
    code, _, err = run(capsys, "-w", ws_path, "import", path)
    assert code == 2 and "line 2" in err
    assert_clean(err)


def test_an_unreadable_input_file(ws_path, tmp_path, capsys, monkeypatch):
    path = _gateway(tmp_path, "2026-10-01T03:00:00Z,r1,data,claude-haiku-4-5,1,1\n")
    real_open = type(path).open

    def refuse(self, *args, **kwargs):
        if self == path:
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(type(path), "open", refuse)
    code, _, err = run(capsys, "-w", ws_path, "import", path)
    assert code == 2 and "g.csv" in err and "Permission denied" in err
    assert_clean(err)


def test_a_truncated_workspace_is_a_clear_message(tmp_path, capsys):
    from app.services.demo import build_demo_workspace

    workspace = build_demo_workspace(tmp_path / "demo.cbdesk")
    workspace.dispose()
    data = (tmp_path / "demo.cbdesk").read_bytes()
    broken = tmp_path / "broken.cbdesk"
    broken.write_bytes(data[: len(data) // 3])
    code, _, err = run(capsys, "-w", broken, "invoices", "--period", "2026-10")
    assert code == 2 and ("damaged" in err or "truncated" in err), err
    assert_clean(err)


def test_a_team_name_with_nul_cannot_reach_an_export(ws_path, tmp_path, capsys):
    policy = tmp_path / "p.toml"
    policy.write_text('version = 1\n[[teams]]\nname = "Da\\u0000ta"\n')
    code, _, err = run(capsys, "-w", ws_path, "config", "apply", policy)
    assert code == 2 and "teams[1]" in err
    assert_clean(err)


def test_control_characters_in_imported_names_never_reach_a_terminal(ws_path, tmp_path, capsys):
    path = _gateway(
        tmp_path, "2026-10-01T03:00:00Z,r1,te\x01am\x1b[31m\u202e,claude-haiku-4-5,1,1\n"
    )
    assert run(capsys, "-w", ws_path, "import", path)[0] == 0
    code, out, _ = run(capsys, "-w", ws_path, "report", "--period", "2026-10", "--by", "tag.team")
    assert code == 0 and "team[31m" in out
    assert "\x1b" not in out and "\x01" not in out and "\u202e" not in out
