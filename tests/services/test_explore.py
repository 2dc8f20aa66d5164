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


def test_tags_of_any_name_can_be_explored(workspace, tmp_path):
    from app.services.explore import tag_dimensions

    log = tmp_path / "gateway.csv"
    log.write_text(
        "timestamp,request_id,model,input_tokens,output_tokens,équipe,cost-center/id\n"
        "2026-10-01T08:00:00Z,r1,claude-sonnet-4-6,1000,100,données,CC-1\n"
        "2026-10-01T09:00:00Z,r2,claude-sonnet-4-6,2000,200,ventes,CC-2\n",
        encoding="utf-8",
    )
    assert import_file(workspace, log).status == "imported"
    assert {"tag.équipe", "tag.cost-center/id"} <= set(tag_dimensions(workspace))
    total = cost_report(workspace, "2026-10", ["model"]).total
    for name in ("tag.équipe", "tag.cost-center/id"):
        groups = explore_level(workspace, "2026-10", [], name)
        assert sum((g.cost for g in groups), Decimal(0)) == total
    assert {g.value for g in explore_level(workspace, "2026-10", [], "tag.équipe")} == {
        "données",
        "ventes",
    }


def test_a_tag_name_that_could_break_out_of_its_quotes_is_refused(workspace):
    for name in ("tag.a'b", 'tag.a"b', "tag.a\\b"):
        with pytest.raises(ExploreError, match="cannot explore by"):
            explore_level(workspace, "2026-10", [], name)
