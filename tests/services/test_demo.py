"""The demo workspace tells the seed story of PRODUCT.md, deterministically."""

import filecmp

import pytest

from app.services.demo_data import write_demo_files
from app.services.reporting import cost_report

BEFORE = {
    "data-team": 8000,
    "product": 2000,
    "eng-": 3000,
    "apikey_01SupportBot": 1500,
    "apikey_01Research": 500,
    "apikey_01PlatformEval": 600,
}
AFTER = {
    "data-team": 3000,
    "product": 3500,
    "eng-": 1200,
    "apikey_01SupportBot": 800,
    "apikey_01Research": 500,
    "apikey_01PlatformEval": 600,
}


def team_costs(workspace, period):
    costs = {}
    for row in cost_report(workspace, period, ["tag.team"]).rows:
        if row.group["tag.team"]:
            costs[row.group["tag.team"]] = row.cost
    unmapped_gateway = next(
        r.cost
        for r in cost_report(workspace, period, ["tag.team", "source"]).rows
        if r.group == {"tag.team": "", "source": "gateway"}
    )
    for row in cost_report(workspace, period, ["api_key_id", "api_key"]).rows:
        if row.group["api_key_id"]:
            costs[row.group["api_key_id"]] = row.cost
        elif row.group["api_key"].startswith("eng-"):
            costs["eng-"] = costs.get("eng-", 0) + row.cost
    return costs, unmapped_gateway


@pytest.mark.parametrize(
    "period", ["2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10"]
)
def test_each_team_month_follows_the_story(demo, period):
    costs, unmapped = team_costs(demo, period)
    story = BEFORE if period < "2026-08" else AFTER
    for team, target in story.items():
        assert abs(costs[team] - target) <= target * 0.02, (team, costs[team])
    assert 50 < unmapped < 300


def test_demo_has_no_unpriced_lines_and_covers_october(demo):
    report = cost_report(demo, "2026-10", ["day"])
    assert report.unpriced_lines == 0
    assert report.rows and max(r.group["day"] for r in report.rows) == "2026-10-31"


def test_generation_is_deterministic(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = write_demo_files(tmp_path / "a")
    second = write_demo_files(tmp_path / "b")
    for a, b in zip(first, second, strict=True):
        assert a.name == b.name and filecmp.cmp(a, b, shallow=False)


def test_an_outdated_demo_is_rebuilt(tmp_path, monkeypatch):
    from app.services import demo as demo_service
    from app.services.workspaces import create_workspace, open_workspace

    target = tmp_path / "demo.cbdesk"
    monkeypatch.setattr(demo_service, "demo_workspace_path", lambda: target)
    create_workspace(target).dispose()  # an old, empty "demo"
    assert demo_service.ensure_demo_workspace() == target
    workspace = open_workspace(target)
    assert workspace.setting("demo_version") == demo_service.DEMO_VERSION
    assert cost_report(workspace, "2026-10").total > 9000
    workspace.dispose()


def test_november_runs_on_the_current_models_and_all_of_it_is_priced(demo):
    report = cost_report(demo, "2026-11", ["model"])
    models = {row.group["model"] for row in report.rows}
    assert report.unpriced_lines == 0
    assert {"claude-opus-5-5", "claude-sonnet-5-5"} <= models
    assert not models & {"claude-opus-4-7", "claude-sonnet-4-6"}
