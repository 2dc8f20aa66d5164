"""Exploring a month: any dimension under filters on others, the money always adding up."""

from decimal import Decimal

import pytest

from app.services.explore import ExploreError, explore_level
from app.services.importing import import_file
from app.services.reporting import cost_report


def test_every_grouping_adds_up_to_the_month(workspace, data_dir):
    assert import_file(workspace, data_dir / "gateway_requests.csv").status == "imported"
    total = cost_report(workspace, "2026-10", ["model"]).total
    for dimension in ("team", "model", "service_tier", "speed", "user", "day", "tag.team"):
        groups = explore_level(workspace, "2026-10", [], dimension)
        assert sum((g.cost for g in groups), Decimal(0)) == total, dimension
    sonnet = explore_level(workspace, "2026-10", [("model", "claude-sonnet-4-6")], "day")
    by_model = {r.group["model"]: r.cost for r in cost_report(workspace, "2026-10", ["model"]).rows}
    assert sum((g.cost for g in sonnet), Decimal(0)) == by_model["claude-sonnet-4-6"]
    assert [g.value for g in sonnet] == sorted(g.value for g in sonnet)  # days in order


def test_an_unknown_dimension_is_refused_with_the_ones_that_work(workspace):
    with pytest.raises(ExploreError, match="cannot explore by 'colour'"):
        explore_level(workspace, "2026-10", [], "colour")
