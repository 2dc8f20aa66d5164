"""Tag hygiene and the model-use policy (issue 15) on a workspace whose findings are counted by
hand: coverage of team / product / environment per month and source, spellings offered as
aliases, and each model rule's breaches with the cost at stake and the cost had it been
followed."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from app.cli import main
from app.services.importing import import_file
from app.services.model_policy import model_policy_report
from app.services.policy import PolicyRejected, apply_policy_file
from app.services.policy_edits import EditStack
from app.services.tag_hygiene import alias_change, tag_hygiene

POLICY = """version = 1
[[teams]]
name = "Data"
aliases = ["data-team"]
[[teams]]
name = "Web"
[[products]]
name = "Search"
[[environments]]
name = "prod"
[[environments]]
name = "dev"
[[rules]]
when = { api_key = "k-data" }
team = "Data"
[[model_rules]]
name = "Non-production must not use Opus"
except_environments = ["prod"]
forbid_models = "claude-opus-*"
instead = "claude-sonnet-4-6"
[[model_rules]]
name = "Development runs in batch"
environments = ["dev"]
require_batch = true
[[model_rules]]
name = "No fast mode outside production"
except_environments = ["prod"]
forbid_fast = true
"""
LOG = (
    "timestamp,request_id,api_key,team,product,environment,model,speed,input_tokens\n"
    # $10: team by rule, product and environment by tag
    "2026-10-02T10:00:00Z,r1,k-data,,Search,prod,claude-haiku-4-5,,10000000\n"
    # $4: "Data_Team" is not the alias "data-team": Unallocated; environment dev
    "2026-10-02T10:00:01Z,r2,k-x,Data_Team,,dev,claude-haiku-4-5,,4000000\n"
    # $10 (Opus 4.7 at $5): Web by tag, DEV is dev in any case
    "2026-10-02T10:00:02Z,r3,k-y,web,,DEV,claude-opus-4-7,,2000000\n"
    # $1 and $3: "stage" and "Stage", no such environment
    "2026-10-02T10:00:03Z,r4,k-w,,,stage,claude-haiku-4-5,,1000000\n"
    "2026-10-02T10:00:04Z,r5,k-v,,,Stage,claude-haiku-4-5,,3000000\n"
    # $8: Opus 5.5 ($4) fast (× 2) in dev, no team
    "2026-10-02T10:00:05Z,r6,k-f,,,dev,claude-opus-5-5,fast,1000000\n"
)


@pytest.fixture
def governed(workspace, tmp_path):
    (tmp_path / "p.toml").write_text(POLICY, encoding="utf-8")
    apply_policy_file(workspace, tmp_path / "p.toml")
    (tmp_path / "log.csv").write_text(LOG, encoding="utf-8")
    assert import_file(workspace, tmp_path / "log.csv").status == "imported"
    return workspace


def test_coverage_per_month_and_source_matches_the_hand_count(governed):
    hygiene = tag_hygiene(governed, ["2026-10"])
    (october,) = hygiene.coverage
    assert (october.month, october.source, october.cost) == ("2026-10", "gateway", Decimal(36))
    assert october.covered == {
        "team": Decimal(20),  # r1 by rule, r3 by alias
        "product": Decimal(10),  # r1
        "environment": Decimal(32),  # all but stage and Stage
    }
    assert october.share("team") == Decimal(20) / Decimal(36)


def test_spellings_are_found_and_offered_as_aliases(governed):
    found = {(s.tag, s.name): s for s in tag_hygiene(governed, ["2026-10"]).spellings}
    assert set(found) == {("team", "Data"), ("environment", "Stage")}
    data = found[("team", "Data")]
    assert (data.known, data.to_add) == (True, ("Data_Team",))
    stage = found[("environment", "Stage")]
    assert (stage.known, stage.spellings, stage.to_add) == (
        False,
        (("Stage", Decimal(3)), ("stage", Decimal(1))),
        ("stage",),
    )
    EditStack(governed).apply(alias_change(governed, "team", "Data", ["Data_Team"]))
    after = tag_hygiene(governed, ["2026-10"])
    assert ("team", "Data") not in {(s.tag, s.name) for s in after.spellings}
    assert after.coverage[0].covered["team"] == Decimal(24)  # the $4 now goes to Data


def test_each_model_rule_reports_what_broke_it_and_what_following_it_would_cost(governed):
    opus, batch, fast = model_policy_report(governed, ["2026-10"])
    # r3 $10 → Sonnet 4.6 $6; r6 $8 → Sonnet 4.6 has no fast mode: standard $3.
    assert (opus.at_stake, opus.if_followed, opus.saving) == (Decimal(18), Decimal(9), Decimal(9))
    assert [(b.team, b.environment, b.model, b.cost) for b in opus.breaches] == [
        ("Web", "dev", "claude-opus-4-7", Decimal(10)),
        ("Unallocated", "dev", "claude-opus-5-5", Decimal(8)),
    ]
    # r2 $4, r3 $10, r6 $8 at batch prices: half.
    assert (batch.at_stake, batch.if_followed) == (Decimal(22), Decimal(11))
    # r6 at standard speed: $4.
    assert (fast.at_stake, fast.if_followed) == (Decimal(8), Decimal(4))


def test_model_rules_are_checked_and_kept_by_the_policy_file(governed, tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text(
        POLICY + '[[model_rules]]\nname = "Both"\nrequire_batch = true\nforbid_fast = true\n'
        '[[model_rules]]\nname = "No instead"\nforbid_models = "claude-opus-*"\n',
        encoding="utf-8",
    )
    with pytest.raises(PolicyRejected) as refused:
        apply_policy_file(governed, bad)
    problems = "\n".join(refused.value.problems)
    assert "model_rules[4]: give exactly one of forbid_models" in problems
    assert "model_rules[5].instead: the model to use instead" in problems
    out = tmp_path / "exported.toml"
    assert main(["-w", governed.location, "config", "export", str(out)]) == 0
    assert out.read_text(encoding="utf-8").count("[[model_rules]]") == 3
    assert main(["-w", governed.location, "config", "apply", str(out)]) == 0


def test_the_cli_reports_hygiene_and_breaches(governed, capsys):
    assert main(["-w", governed.location, "hygiene", "--period", "2026-10", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["coverage"][0] == {
        "month": "2026-10",
        "source": "gateway",
        "cost": "36.00",
        "team": "0.5556",
        "product": "0.2778",
        "environment": "0.8889",
    }
    assert [s["to_add"] for s in data["spellings"]] == [["Data_Team"], ["stage"]]
    assert main(["-w", governed.location, "hygiene", "--period", "2026-10", "--add-aliases"]) == 0
    assert "Data_Team added as an alias of team Data" in capsys.readouterr().out
    assert main(["-w", governed.location, "model-policy", "--period", "2026-10", "--json"]) == 0
    rules = json.loads(capsys.readouterr().out)["rules"]
    assert [(r["rule"], r["at_stake"], r["if_followed"]) for r in rules] == [
        ("Non-production must not use Opus", "18.00", "9.00"),
        ("Development runs in batch", "22.00", "11.00"),
        ("No fast mode outside production", "8.00", "4.00"),
    ]


# Second review ------------------------------------------------------------------------------


def test_a_rule_on_an_unknown_environment_or_instead_of_itself_is_refused(governed, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(
        POLICY
        + '[[model_rules]]\nname = "Typo"\nenvironments = ["staging"]\nrequire_batch = true\n'
        + '[[model_rules]]\nname = "Self"\nforbid_models = "claude-opus-*"\n'
        + 'instead = "Claude Opus 4.7"\n',
        encoding="utf-8",
    )
    with pytest.raises(PolicyRejected) as refused:
        apply_policy_file(governed, bad)
    problems = "\n".join(refused.value.problems)
    assert "model_rules[4].environments: no environment 'staging' (environments: prod, dev" in (
        problems
    )
    assert "model_rules[5].instead: 'claude-opus-4-7' is itself one of 'claude-opus-*'" in problems


def test_renaming_an_environment_or_a_team_carries_the_model_rules_along(governed, tmp_path):
    from app.services.policy_edits import document_state, policy_state
    from app.services.taxonomy_changes import rename_named, rename_team

    _apply(governed, tmp_path, POLICY + WEB_BATCH)
    stack = EditStack(governed)
    stack.apply(rename_named(policy_state(governed), "environments", "prod", "production"))
    reports = model_policy_report(governed, ["2026-10"])
    assert reports[0].rule.except_environments == ("production",)
    assert reports[0].at_stake == Decimal(18)  # prod usage is still not a breach
    stack.apply(rename_team(document_state(governed), "Web", "Web shop"))
    assert model_policy_report(governed, ["2026-10"])[-1].rule.teams == ("Web shop",)


WEB_BATCH = '[[model_rules]]\nname = "Web batch"\nteams = ["Web"]\nrequire_batch = true\n'


def _apply(workspace, folder, text):
    path = folder / "policy-again.toml"
    path.write_text(text, encoding="utf-8")
    apply_policy_file(workspace, path)


def test_unpriced_breaches_and_an_instead_the_price_book_lacks_are_said(governed, tmp_path):
    policy = tmp_path / "p2.toml"
    policy.write_text(
        POLICY.replace('instead = "claude-sonnet-4-6"', 'instead = "claude-sonet-4-6"')
    )
    apply_policy_file(governed, policy)
    log = tmp_path / "more.csv"
    log.write_text(
        "timestamp,request_id,api_key,environment,model,input_tokens\n"
        "2026-10-03T10:00:00Z,u1,k-u,dev,claude-opus-9,1000000\n"
    )
    import_file(governed, log)
    opus = model_policy_report(governed, ["2026-10"])[0]
    assert opus.at_stake == opus.if_followed == Decimal(18)  # no saving claimed
    assert opus.notes == [
        "1 unpriced line(s) break it: cost unknown",
        "2 line(s) could not be repriced (claude-sonet-4-6 is not in the price book, or the "
        "source gave only a cost): no saving is claimed for them",
    ]


def test_a_spelling_that_cannot_be_a_name_is_listed_but_not_offered(governed, tmp_path):
    long_one = "data-team" + "-" * 120
    log = tmp_path / "long.csv"
    log.write_text(
        "timestamp,request_id,api_key,team,model,input_tokens\n"
        f"2026-10-04T10:00:00Z,l1,k-l,{long_one},claude-haiku-4-5,1000000\n"
    )
    import_file(governed, log)
    data = next(s for s in tag_hygiene(governed, ["2026-10"]).spellings if s.name == "Data")
    assert long_one in [v for v, _ in data.spellings]
    assert data.to_add == ("Data_Team",)
