"""The period engine that attributes distinct dimension sets and sums per team in SQL gives
exactly what the line-by-line engine gave (kept here as the oracle) on random workspaces:
rules on keys, users, tags and pricing fields, aliases, unpriced models, provided costs,
late usage of a closed month."""

import contextlib
import json
import tempfile
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.domain.allocation import PRIOR_PERIOD, USAGE, CostLine, allocate
from app.domain.attribution import Attributor
from app.domain.money import MONEY_CONTEXT
from app.domain.periods import late_usage_sources
from app.domain.policy_codec import document_from_mapping
from app.services.closing import PeriodError, close_period
from app.services.importing import import_file
from app.services.invoices import (
    billing_scope,
    compute_invoices,
    policy_from_mapping,
    reason_text,
)
from app.services.period_cache import forget_all
from app.services.policy import apply_policy
from app.services.priced_slices import priced_slices
from app.services.pricing import price_aggregate, workspace_price_book
from app.workspace import periods
from app.workspace.policy_store import current_policy_mapping
from app.workspace.usage_queries import usage_aggregates

WHO = ("api_key", "api_key_id", "workspace", "workspace_id", "user", "service_account", "tags")
HEADER = (
    "timestamp,request_id,api_key,user,team,model,service_tier,input_tokens,output_tokens,cost\n"
)
MODELS = ["claude-haiku-4-5", "claude-sonnet-4-6", "claude-opus-4-7", "claude-unknown-9"]


def line_dimensions(agg):
    """What a rule or alias reads of one grouped line (by :data:`WHO`)."""
    group = dict(zip(WHO, agg.group, strict=True))
    dims = {k: v for k, v in group.items() if k != "tags"}
    dims.update(
        model=agg.model,
        service_tier=agg.service_tier,
        inference_geo=agg.inference_geo,
        context_window=agg.context_window,
    )
    if group["tags"]:
        dims.update({f"tag.{k}": str(v) for k, v in json.loads(group["tags"]).items()})
    return dims


def line_by_line_invoices(conn, period):
    """The engine before issue 9: every grouped line attributed and priced on its own."""
    policy = policy_from_mapping(current_policy_mapping(conn))
    closed = periods.closed(conn)
    attributor = Attributor(policy)
    book = workspace_price_book(conn)
    merged = {}
    unpriced = 0
    if period in closed:
        scopes = [(period, {"billed_in": period}, USAGE, None)]
        scopes += [
            (q, {"billed_in": period}, PRIOR_PERIOD, f"Prior-period usage ({q})")
            for q in periods.late_periods_billed_in(conn, period)
        ]
    else:
        scopes = [(period, {"unbilled": True}, USAGE, None)]
        scopes += [
            (q, {"unbilled": True}, PRIOR_PERIOD, f"Prior-period usage ({q})")
            for q in late_usage_sources(period, closed)
        ]
    for source, scope, kind, label in scopes:
        for agg in usage_aggregates(conn, by=WHO, period=source, **scope):
            priced = price_aggregate(book, agg)
            if not priced.priced:
                unpriced += agg.lines
                continue
            attribution = attributor.attribute(line_dimensions(agg), source)
            key = (attribution.team, kind, label or agg.model, reason_text(attribution.team_source))
            merged[key] = MONEY_CONTEXT.add(merged.get(key, Decimal(0)), priced.cost)
    lines = [
        CostLine(team, label, cost, kind=kind, reason=reason)
        for (team, kind, label, reason), cost in sorted(merged.items())
    ]
    return allocate(period, policy, lines, None), unpriced


requests = st.lists(
    st.tuples(
        st.integers(0, 2),  # month: Sep, Oct, Nov
        st.integers(0, 27),  # day
        st.sampled_from(["key-a", "key-b", "ci-1", "ci-2", ""]),
        st.sampled_from(["ann@x.com", "bob@x.com", ""]),
        st.sampled_from(["data", "web", "DATA", "", "ops"]),
        st.sampled_from(MODELS),
        st.sampled_from(["standard", "batch", "priority"]),
        st.integers(0, 10**7),
        st.integers(0, 10**6),
        st.sampled_from(["", "0.5", "1.25"]),
    ),
    min_size=1,
    max_size=30,
)


def _render(records, start):
    lines = []
    for n, (month, day, key, user, team, model, tier, inp, out, cost) in enumerate(records):
        stamp = f"2026-{9 + month:02d}-{day + 1:02d}T10:00:00Z"
        lines.append(
            f"{stamp},r{start + n},{key},{user},{team},{model},{tier},{inp},{out},{cost}\n"
        )
    return HEADER + "".join(lines)


POLICY = {
    "teams": [
        {"name": "Data", "aliases": ["data"]},
        {"name": "Web", "aliases": ["web"]},
        {"name": "Platform"},
        {"name": "CI"},
    ],
    "rules": [
        {"when": {"api_key": "ci-*"}, "match": "glob", "team": "CI", "label": "ci keys"},
        {"when": {"model": "claude-opus-4-7", "user": "bob@x.com"}, "team": "Web"},
        {"when": {"service_tier": "priority", "tag.team": "ops"}, "team": "Platform"},
    ],
    "pools": [{"team": "Platform", "method": "proportional"}],
    "settings": {"overhead_rate": "0.05"},
}


UNHURRIED = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
"""The workspace maker is one per test (and engine), each example makes its own workspace."""


@contextlib.contextmanager
def random_workspace(make_workspace, first, late, close_october):
    """A workspace with the policy, ``first`` imported, September and October closed or not,
    then ``late`` imported (late usage of closed months included)."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        workspace = make_workspace(folder)
        try:
            document, problems = document_from_mapping(POLICY)
            assert not problems
            apply_policy(workspace, document, source="test")
            (folder / "a.csv").write_text(_render(first, 0), encoding="utf-8")
            import_file(workspace, folder / "a.csv")
            if close_october:
                for period in ("2026-09", "2026-10"):
                    with contextlib.suppress(PeriodError):  # unpriced: the month stays open
                        close_period(workspace, period, allow_empty=True)
            (folder / "b.csv").write_text(_render(late, 1000), encoding="utf-8")
            import_file(workspace, folder / "b.csv")
            yield workspace
        finally:
            workspace.dispose()


@settings(max_examples=20, deadline=None, suppress_health_check=UNHURRIED)
@given(requests, requests, st.booleans())
def test_new_engine_equals_the_line_by_line_engine(make_workspace, first, late, close_october):
    with (
        random_workspace(make_workspace, first, late, close_october) as workspace,
        workspace.engine.connect() as conn,
    ):
        for period in ("2026-09", "2026-10", "2026-11"):
            old, unpriced = line_by_line_invoices(conn, period)
            for slices_by_product_first in (False, True):
                # Invoices sum slices by team; slices by product, when an export or page
                # made them first, serve them as they are.
                forget_all()
                if slices_by_product_first:
                    own, late = billing_scope(conn, period, periods.closed(conn))
                    for source, scope in [(period, own), *late]:
                        priced_slices(conn, source, scope)
                new = compute_invoices(conn, period)
                assert new.allocation == old, period
                assert new.unpriced_lines == unpriced


def line_by_line_facts(conn, scopes):
    """Usage facts before issue 9: every grouped line attributed and split by cost type on
    its own, then summed per team × product × environment × pricing key × day."""
    from app.domain.price_book import cost_by_type
    from app.services.pricing import aggregate_quantities

    policy = policy_from_mapping(current_policy_mapping(conn))
    attributor = Attributor(policy)
    book = workspace_price_book(conn)
    facts = {}
    for source, scope in scopes:
        for agg in usage_aggregates(conn, by=WHO, period=source, **scope):
            split = cost_by_type(book, *aggregate_quantities(agg))
            if not split:
                continue
            a = attributor.attribute(line_dimensions(agg), source)
            key = (a.team, a.product, a.environment, agg.model, agg.service_tier, agg.day)
            facts.setdefault(key, []).append(
                (agg.requests, agg.input_tokens, agg.output_tokens, split)
            )
    return {key: _fact_sums(parts) for key, parts in facts.items()}


def _fact_sums(parts):
    by_type = {}
    for _, _, _, split in parts:
        for name, amount in split.items():
            by_type[name] = by_type.get(name, Decimal(0)) + amount
    return (
        sum(p[0] for p in parts),
        sum(p[1] for p in parts),
        sum(p[2] for p in parts),
        by_type,
    )


def facts_by_key(facts):
    grouped = {}
    for f in facts:
        key = (f.team, f.product, f.environment, f.model, f.service_tier, f.day)
        split = dict(f.cost_by_type)
        assert sum(split.values(), Decimal(0)) == f.cost
        grouped.setdefault(key, []).append((f.requests, f.input_tokens, f.output_tokens, split))
    return {key: _fact_sums(parts) for key, parts in grouped.items()}


@settings(max_examples=15, deadline=None, suppress_health_check=UNHURRIED)
@given(requests, requests, st.booleans())
def test_usage_facts_equal_the_line_by_line_facts(make_workspace, first, late, close_october):
    from app.services.insights import _fact_scopes, usage_facts

    with random_workspace(make_workspace, first, late, close_october) as workspace:
        for period in ("2026-09", "2026-10", "2026-11"):
            for billed_only in (False, True):
                facts, _, _ = usage_facts(workspace, period, billed_only=billed_only)
                with workspace.engine.connect() as conn:
                    scopes = [
                        (month, json.loads(scope))
                        for month, scope in _fact_scopes(conn, period, billed_only)
                    ]
                    old = line_by_line_facts(conn, scopes)
                assert facts_by_key(facts) == old, (period, billed_only)
