"""Policy holes (issue 8, cases 6 and 7): every one is a validation error with its TOML location,
and nothing changes."""

from __future__ import annotations

import time

import pytest

from app.cli import main
from app.services.policy import PolicyRejected, apply_policy_file, read_policy_file

TEAM = '[[teams]]\nname = "Data"\n'


def problems_of(tmp_path, text):
    path = tmp_path / "policy.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PolicyRejected) as caught:
        read_policy_file(path)
    return " | ".join(caught.value.problems)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (TEAM + TEAM, "teams[2]: the name 'Data' is already used by teams[1]"),
        (TEAM + '[[teams]]\nname = "data"\ncode = "D2"\n', "teams[2]: the name 'data'"),
        ('[settings]\noverhead_rate = "1e999999"\n' + TEAM, "settings.overhead_rate"),
        ('[settings]\noverhead_rate = "1.5"\n' + TEAM, "settings.overhead_rate must be"),
        (TEAM + 'overhead_rate = "7"\n', "teams[1]: overhead_rate must be"),
        (
            TEAM + '[[budgets]]\nteam = "Data"\nmonth = "2026-13"\namount = "5"\n',
            "budgets[1].month",
        ),
        (
            TEAM + '[[budgets]]\nteam = "Data"\nmonth = "2026-10"\namount = "-5"\n',
            "budgets[1].amount",
        ),
        (
            TEAM + '[[provider_invoices]]\nperiod = "oct"\ntotal = "5"\n',
            "provider_invoices[1].period",
        ),
        ("colour = 'blue'\n" + TEAM, "file: unknown key 'colour'"),
        ('[[teams]]\nname = "Da\\u0000ta"\n', "teams[1].name: control character"),
        ('[[teams]]\nname = "Da\\u0007ta"\n', "teams[1].name: control character"),
        ('[[teams]]\nname = "Data\\u202egnp.exe"\n', "teams[1].name: bidirectional"),
        ('[[teams]]\nname = "../../etc"\n', "teams[1].name: '/'"),
        ('[[teams]]\nname = "a\\\\b"\n', "teams[1].name: '\\\\'"),
        ('[[teams]]\nname = "' + "x" * 300 + '"\n', "teams[1].name: 300 characters"),
        (TEAM + 'aliases = ["ok", "' + "y" * 300 + '"]\n', "teams[1].aliases"),
        ('[[departments]]\nname = "E\\u0000ng"\n' + TEAM, "departments[1].name"),
        ("a = " + "[" * 5000 + "]" * 5000 + "\n", "nested too deeply"),
        (
            TEAM + '[[rules]]\nwhen = { api_key = "(a)\\\\1" }\nmatch = "regex"\nteam = "Data"\n',
            "rules[1]: invalid regex",
        ),
    ],
)
def test_policy_holes_are_validation_errors(tmp_path, text, expected):
    assert expected in problems_of(tmp_path, text)


def test_an_empty_policy_needs_an_explicit_flag(workspace, tmp_path, capsys):
    full = tmp_path / "full.toml"
    full.write_text(TEAM)
    apply_policy_file(workspace, full)
    empty = tmp_path / "empty.toml"
    empty.write_text("version = 1\n")
    assert main(["-w", workspace.location, "config", "apply", str(empty)]) == 2
    assert "--allow-empty" in capsys.readouterr().err
    from app.services.invoices import load_policy

    assert [t.name for t in load_policy(workspace).teams] == ["Data"]
    assert main(["-w", workspace.location, "config", "apply", str(empty), "--allow-empty"]) == 0
    assert load_policy(workspace).teams == ()


def test_a_catastrophic_regex_cannot_hang_the_month(workspace, tmp_path):
    """``(a+)+$`` against 30 characters took 50 s with Python's re (×4 per character)."""
    from app.services.importing import import_file
    from app.services.invoices import period_invoices

    policy = tmp_path / "policy.toml"
    policy.write_text(
        TEAM + '[[rules]]\nwhen = { "tag.team" = "(a+)+$" }\nmatch = "regex"\nteam = "Data"\n'
    )
    apply_policy_file(workspace, policy)
    usage = tmp_path / "u.csv"
    usage.write_text(
        "timestamp,request_id,team,model,input_tokens,output_tokens\n"
        f"2026-10-01T10:00:00Z,r1,{'a' * 40}b,claude-haiku-4-5,10,1\n"
    )
    import_file(workspace, usage)
    started = time.monotonic()
    result = period_invoices(workspace, "2026-10")
    assert time.monotonic() - started < 5
    assert result.allocation.unallocated_cents >= 0
