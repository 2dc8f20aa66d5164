"""``disputes`` on the command line: record, accept, reject and list, and a refusal that names
its reason with exit status 2 and changes nothing."""

from __future__ import annotations

import json

from app.cli import main
from app.services.disputes import list_disputes
from tests.services.test_disputes import billed  # noqa: F401  (the fixture)


def _run(workspace, *args):
    return main(["-w", workspace.location, "disputes", *args])


def test_a_dispute_is_recorded_accepted_and_listed(billed, capsys):  # noqa: F811
    assert (
        _run(
            billed,
            "record",
            "--period",
            "2026-09",
            "--team",
            "web",
            "--line",
            "claude-haiku-4-5",
            "--amount",
            "1.25",
            "--by",
            "Dana (Web lead)",
            "--reason",
            "test traffic",
        )
        == 0
    )
    assert capsys.readouterr().out.strip() == (
        "D-1 recorded (open): Web contests 1.25 of claude-haiku-4-5 on CB-202609-WEB"
    )
    assert _run(billed, "accept", "D-1", "--move-to", "Data", "--reason", "confirmed") == 0
    assert capsys.readouterr().out.strip() == (
        "D-1 accepted: 1.25 moves from Web to Data on 2026-10"
    )
    assert _run(billed, "--status", "accepted", "--json") == 0
    listed = json.loads(capsys.readouterr().out)["disputes"]
    assert [(d["dispute"], d["status"], d["move_to"], d["lands_in"]) for d in listed] == [
        ("D-1", "accepted", "Data", "2026-10")
    ]
    assert _run(billed, "--status", "open") == 0
    assert capsys.readouterr().out.strip() == "No disputes match"
    assert main(["-w", billed.location, "invoices", "--period", "2026-10", "--json"]) == 0
    web = next(i for i in json.loads(capsys.readouterr().out)["invoices"] if i["team"] == "Web")
    assert web["lines"][-1] == {
        "kind": "adjustment",
        "label": "Dispute D-1 accepted: claude-haiku-4-5 (CB-202609-WEB)",
        "amount": "-1.25",
        "dispute": "D-1",
        "trail": ["contested: test traffic", "moved to Data"],
    }


def test_a_rejection_and_a_refusal(billed, capsys):  # noqa: F811
    args = ["--team", "Web", "--line", "1", "--by", "Dana", "--reason", "why"]
    assert _run(billed, "record", "--period", "2026-09", "--amount", "9", *args) == 2
    err = capsys.readouterr().err
    assert err.startswith("chargeback-desk: amount: 9.00 is more than is left to contest")
    assert "Traceback" not in err
    assert list_disputes(billed) == []
    assert _run(billed, "record", "--period", "2026-09", "--amount", "2", *args) == 0
    assert _run(billed, "reject", "D-1", "--reason", "Web's own key") == 0
    assert capsys.readouterr().out.strip().endswith("D-1 rejected: Web's own key")
    assert _run(billed, "accept", "D-1", "--move-to", "Data") == 2
    assert "D-1 was already rejected" in capsys.readouterr().err
    assert _run(billed) == 0
    out = capsys.readouterr().out
    assert out.startswith("D-1  rejected  2026-09  Web  CB-202609-WEB  claude-haiku-4-5  2.00")
