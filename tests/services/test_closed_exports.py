"""Every export of a closed month is byte-identical before and after any later change.

Regression test for issue 8, case 8: after ``prices set`` or a policy change the CSV and FOCUS
exports of a closed month changed (direct cost repriced, rows dropped).
"""

import time

import pytest

from app.services.closing import close_period
from app.services.exports import export_period
from app.services.importing import import_file
from app.services.policy import apply_policy_file
from app.services.prices import set_price

POLICY = """
version = 1
[settings]
overhead_rate = "0.10"
[[teams]]
name = "Data"
aliases = ["data-team"]
code = "DATA"
[[teams]]
name = "Support"
aliases = ["support-team"]
[[budgets]]
team = "Data"
month = "2026-10"
amount = "1.00"
"""
HEADER = "timestamp,request_id,team,model,input_tokens,output_tokens\n"


def _exports(workspace, folder):
    folder.mkdir()
    files = {}
    for kind, name in (
        ("csv", "a.csv"),
        ("focus", "f.csv"),
        ("journal", "j.csv"),
        ("xlsx", "p.xlsx"),
    ):
        export_period(workspace, kind, "2026-10", folder / name)
        files[kind] = (folder / name).read_bytes()
    return files


@pytest.mark.slow
def test_closed_month_exports_never_change(workspace, data_dir, tmp_path):
    import_file(workspace, data_dir / "gateway_requests.csv")
    policy = tmp_path / "policy.toml"
    policy.write_text(POLICY)
    apply_policy_file(workspace, policy)
    close_period(workspace, "2026-10")
    before = _exports(workspace, tmp_path / "before")
    time.sleep(1.1)  # anything dated "now" would show

    set_price(
        workspace,
        {
            "model": "claude-sonnet-4-6",
            "input": "30",
            "output": "150",
            "effective_from": "2024-01-01",
        },
    )
    changed = tmp_path / "changed.toml"
    changed.write_text(
        POLICY.replace('"0.10"', '"0.25"')
        .replace('aliases = ["support-team"]', "")
        .replace('"1.00"', '"500.00"')
    )
    apply_policy_file(workspace, changed)
    late = tmp_path / "late.csv"
    late.write_text(HEADER + "2026-10-30T10:00:00Z,late1,data-team,claude-haiku-4-5,1000,0\n")
    assert import_file(workspace, late).status == "imported"
    workspace.set_setting("name", "Renamed workspace")

    after = _exports(workspace, tmp_path / "after")
    for kind in before:
        assert after[kind] == before[kind], kind
