"""Several machines' worth of processes changing one workspace at the same moment (issue 14):
two closes of one month, two policy edits from the same version. One wins, the other is told
why and changes nothing; nothing is lost or doubled. On a file and on a server.

Each process waits at a starting line (a file that appears) after it has read what it needs,
so both decide from the same state and then race for the write lock.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

from app.services.invoices import invoice_document
from app.services.policy_edits import policy_state
from app.workspace.schema import closed_periods

CLOSE = """
import json, sys, time
from pathlib import Path
from app.services.closing import PeriodError, close_period
from app.workspace.db import open_workspace

workspace = open_workspace(sys.argv[1])
start, ready = Path(sys.argv[2]), Path(sys.argv[3])
workspace.setting("name")  # connected and read, like a window showing the month
ready.touch()
while not start.exists():
    time.sleep(0.01)
try:
    document = close_period(workspace, "2026-11")
    print(json.dumps({"closed": document["grand_total"]}))
except PeriodError as exc:
    print(json.dumps({"refused": str(exc)}))
"""

EDIT = """
import json, sys, time
from pathlib import Path
from app.services.mapping_changes import map_to_team
from app.services.policy_edits import EditRefused, EditStack, policy_state
from app.services.unallocated import unallocated_queue
from app.workspace.db import open_workspace

workspace = open_workspace(sys.argv[1])
start, ready, key, team = Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4], sys.argv[5]
value = next(
    v for v in unallocated_queue(workspace, "2026-11").values if v.value == key
)
change = map_to_team(policy_state(workspace), value, team)
ready.touch()
while not start.exists():
    time.sleep(0.01)
try:
    EditStack(workspace).apply(change)
    print(json.dumps({"applied": change.description}))
except EditRefused as exc:
    print(json.dumps({"refused": exc.problems}))
"""


def _race(tmp_path: Path, script: str, runs: list[list[str]]) -> list[dict]:
    """Start one process per argument list; let them go together once all are ready."""
    start = tmp_path / "go"
    ready = [tmp_path / f"ready-{n}" for n in range(len(runs))]
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", script, args[0], str(start), str(flag), *args[1:]],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for args, flag in zip(runs, ready, strict=True)
    ]
    deadline = time.monotonic() + 120
    while not all(flag.exists() for flag in ready):
        assert time.monotonic() < deadline and all(p.poll() is None for p in processes)
        time.sleep(0.02)
    start.touch()
    results = []
    for process in processes:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        assert "Traceback" not in err, err
        results.append(json.loads(out.strip().splitlines()[-1]))
    return results


def test_two_closes_of_one_month_at_once_close_it_once(unmapped_month, tmp_path):
    location = unmapped_month.location
    results = _race(tmp_path, CLOSE, [[location], [location]])
    closed = [r for r in results if "closed" in r]
    refused = [r for r in results if "refused" in r]
    assert len(closed) == 1 and len(refused) == 1, results
    assert "already closed" in refused[0]["refused"]
    with unmapped_month.engine.connect() as conn:
        rows = conn.execute(closed_periods.select()).all()
    assert [row.period for row in rows] == ["2026-11"]
    assert Decimal(invoice_document(unmapped_month, "2026-11")["grand_total"]) == Decimal(
        closed[0]["closed"]
    )


def test_two_edits_made_from_the_same_version_keep_one_and_refuse_the_other(
    unmapped_month, tmp_path
):
    location = unmapped_month.location
    before = policy_state(unmapped_month)
    results = _race(
        tmp_path,
        EDIT,
        [[location, "k-big", "Web"], [location, "ann", "Data"]],
    )
    applied = [r for r in results if "applied" in r]
    refused = [r for r in results if "refused" in r]
    assert len(applied) == 1 and len(refused) == 1, results
    problem = refused[0]["refused"][0]
    assert "The policy was changed by" in problem and "Reload" in problem, problem
    after = policy_state(unmapped_month)
    assert after.version == before.version + 1  # one new version: the winner's, whole
    rules = after.mapping["rules"][len(before.mapping["rules"]) :]
    assert len(rules) == 1, rules


def test_budgets_suggested_while_a_policy_edit_lands_lose_nothing(unmapped_month, monkeypatch):
    """``budgets suggest`` / ``budgets import`` rewrite the whole document (policy, budgets,
    prices). An edit made from the window while they run is kept, or refused with a reason —
    never silently overwritten."""
    import threading

    from app.services import budgets
    from app.services.mapping_changes import map_to_team
    from app.services.policy_edits import EditRefused, EditStack
    from app.services.unallocated import unallocated_queue

    value = next(
        v for v in unallocated_queue(unmapped_month, "2026-11").values if v.value == "k-big"
    )
    edit = map_to_team(policy_state(unmapped_month), value, "Web")
    outcome: list[str] = []

    def anna() -> None:
        try:
            EditStack(unmapped_month).apply(edit)
            outcome.append("applied")
        except EditRefused as exc:
            outcome.append("refused: " + exc.problems[0])

    def read_then_let_anna_edit(read):
        def reading(*args, **kwargs):
            document = read(*args, **kwargs)
            editor = threading.Thread(target=anna)
            editor.start()
            editor.join(timeout=1.5)  # she is done (in 0.3 s), or waits for Bob's write lock
            reading.thread = editor
            return document

        return reading

    for name in ("current_document", "document_in"):
        if hasattr(budgets, name):
            monkeypatch.setattr(budgets, name, read_then_let_anna_edit(getattr(budgets, name)))
    budgets.suggest_budgets(unmapped_month, "2026-10", ["2026-11"])
    for name in ("current_document", "document_in"):
        hook = getattr(budgets, name, None)
        if getattr(hook, "thread", None) is not None:
            hook.thread.join(timeout=60)
    assert len(outcome) == 1, outcome
    rules = policy_state(unmapped_month).mapping["rules"]
    kept = any(rule.get("team") == "Web" for rule in rules)
    assert kept or outcome[0].startswith("refused: The policy was changed by"), (outcome, rules)
    assert kept == (outcome[0] == "applied")
