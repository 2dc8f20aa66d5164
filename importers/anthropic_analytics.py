"""Anthropic Usage & Cost Analytics API reports (beta since late October 2026) JSON.

``/v1/organizations/analytics/usage_report`` and ``/cost_report`` (buckets of results, like the
Admin API reports) and the per-user ``user_usage_report`` and ``user_cost_report`` (one row per
user, dated by ``starting_at`` / ``ending_at`` when asked with ``bucket_width``). This is how
claude.ai Enterprise usage — chat, Claude Code, Cowork, Claude in Slack — reaches a chargeback:
per user (the email goes through the ordinary rules) or per product surface.

- Usage rows carry tokens, priced by the price book. Cost rows carry ``amount`` (after the
  negotiated discount) and ``list_amount`` (before it), both strings in fractional **cents**:
  kept exactly, in dollars, as the line's own cost and list price.
- ``product`` becomes the tag ``claude_product``; Slack's channel, member and category become
  the tags ``slack_channel``, ``slack_user`` and ``claude_tag_category``.
- Rows grouped by ``rbac_group_id`` overlap (a user in several groups counts in full in each):
  such a file is refused, never summed.
- A bucket holds at most its top 100 groups with no remainder row: a bucket at the cap makes the
  import say the file may be incomplete.

Field lists: the ``beta_analytics_*`` types of the public ``anthropics/anthropic-sdk-python``
repository (read on 2026-11-26).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal

from app.domain.money import MONEY_CONTEXT
from importers import fields
from importers.anthropic_usage import TOKEN_PATHS
from importers.api_pages import iter_buckets, nested, pages_of
from importers.base import USAGE, FileRejected, ImportedData, ReadContext, RowProblem
from importers.canonical import UsageRollup, context_window, inference_geo, speed
from importers.rows import load_json_document
from importers.sniff import FileSample

SOURCES = (
    "anthropic-analytics-usage",
    "anthropic-analytics-cost",
    "anthropic-analytics-user-usage",
    "anthropic-analytics-user-cost",
)
"""The four reports tell the same usage four ways: one of them per day, never two."""
GROUP_CAP = 100
"""Each bucket reports at most its top 100 groups, with no remainder row."""
HUNDRED = Decimal(100)
TAGS = {
    "product": "claude_product",
    "claude_tag_category": "claude_tag_category",
    "claude_tag_user_id": "slack_user",
    "slack_channel_id": "slack_channel",
}
RBAC_REFUSAL = (
    "rows are grouped by rbac_group_id: a user in several groups counts in full in each "
    "group's row, so the rows overlap and never add up to the organisation; export the report "
    "without group_by[]=rbac_group_id (the per-user report attributes each user once, by email)"
)
Adder = Callable[[UsageRollup, str, dict, dict[str, str]], None]


def _dimensions(row: dict) -> dict[str, object]:
    """What every report row says besides its amounts: pricing fields and tags."""
    if fields.text(row.get("rbac_group_id")):
        raise FileRejected(RBAC_REFUSAL)
    tags = {tag: fields.text(row.get(key)) for key, tag in TAGS.items()}
    return {
        "inference_geo": inference_geo(fields.text(row.get("inference_geo"))),
        "context_window": context_window(fields.text(row.get("context_window"))),
        "speed": speed(fields.text(row.get("speed"))),
        "tags": fields.tags_json(tags),
        "requests": fields.count(row.get("requests"), "requests"),
    }


def _cents(row: dict, name: str) -> Decimal:
    cents = fields.money(row.get(name), name)
    if cents is None:
        raise RowProblem(name, f"missing {name}")
    return MONEY_CONTEXT.divide(cents, HUNDRED)


def add_cost(rollup: UsageRollup, day: str, row: dict, who: dict[str, str]) -> None:
    """A cost row: its own cost (net) and list price, in dollars."""
    currency = fields.text(row.get("currency")) or "USD"
    if currency != "USD":
        raise RowProblem("currency", f"only USD amounts are imported, not {currency}")
    rollup.add(
        day=day,
        model=fields.text(row.get("model")) or "(no model)",
        provided_cost=_cents(row, "amount"),
        provided_list_cost=_cents(row, "list_amount"),
        **_dimensions(row),  # type: ignore[arg-type]
        **who,
    )


def add_usage(rollup: UsageRollup, day: str, row: dict, who: dict[str, str]) -> None:
    """A usage row: tokens and web searches, priced by the price book."""
    counts = {name: fields.count(nested(row, path), path) for name, path in TOKEN_PATHS.items()}
    model = fields.text(row.get("model"))
    if not model and any(counts.values()):
        raise FileRejected(
            "the usage report was not grouped by model, so its tokens cannot be priced; export "
            "it with group_by[]=model (or import the cost report, which carries the amounts)"
        )
    rollup.add(day=day, model=model, **_dimensions(row), **counts, **who)  # type: ignore[arg-type]


def _grouping_note(ctx: ReadContext, grouped: set[str]) -> None:
    """A cost report grouped by token type alone has only token costs: web search and code
    execution are not in it."""
    if "token_type" in grouped and "cost_type" not in grouped:
        ctx.notes.append(
            "possibly incomplete: the report is grouped by token_type without cost_type, so it "
            "holds token costs only — web search and code execution are missing; export it "
            "with group_by[]=cost_type as well"
        )


def _grouped_by(row: object, grouped: set[str]) -> None:
    if isinstance(row, dict):
        grouped.update(key for key in ("token_type", "cost_type") if row.get(key))


def _bucketed(ctx: ReadContext, add: Adder) -> ImportedData:
    rollup = UsageRollup()
    record = 0
    full: list[str] = []
    grouped: set[str] = set()
    for start, end, results in iter_buckets(ctx):
        rollup.coverage.add_bucket(start, end)
        day = fields.iso(start)[:10]
        if len(results) >= GROUP_CAP:
            hourly = (end - start).total_seconds() < 86_400
            full.append(fields.iso(start)[:16].replace("T", " ") if hourly else day)
        for result in results:
            record += 1
            ctx.rows_read += 1
            _grouped_by(result, grouped)
            try:
                if not isinstance(result, dict):
                    raise RowProblem("", "a result is not a JSON object")
                add(rollup, day, result, {})
            except RowProblem as problem:
                ctx.add_error(record, problem.column, problem.message)
    if full:
        shown = ", ".join(full[:3]) + (", …" if len(full) > 3 else "")
        ctx.notes.append(
            f"possibly incomplete: {len(full)} bucket(s) have {GROUP_CAP} groups, the most the "
            f"report shows ({shown}); groups beyond the top {GROUP_CAP} have no row — export "
            f"with fewer group_by[] dimensions or narrower buckets"
        )
    _grouping_note(ctx, grouped)
    return ImportedData(USAGE, rollup.frame(), rollup.coverage.result())


def _user(row: dict) -> dict[str, str]:
    actor = row.get("actor")
    if not isinstance(actor, dict):
        raise RowProblem("actor", "missing actor")
    # A deleted account has no email: its tagged user id keeps its usage apart.
    who = fields.text(actor.get("email_address")) or fields.text(actor.get("user_id"))
    if not who:
        raise RowProblem("actor", "actor has neither email_address nor user_id")
    return {"user": who}


def _rows(ctx: ReadContext) -> Iterator[object]:
    for page in pages_of(load_json_document(ctx)):
        yield from page["data"]


def _per_user(ctx: ReadContext, add: Adder) -> ImportedData:
    rollup = UsageRollup()
    grouped: set[str] = set()
    for record, row in enumerate(_rows(ctx), start=1):
        ctx.cancel.check()
        ctx.rows_read += 1
        _grouped_by(row, grouped)
        try:
            if not isinstance(row, dict):
                raise RowProblem("", "a row is not a JSON object")
            if row.get("starting_at") is None:
                raise FileRejected(
                    f"row {record} has no starting_at: a per-user report asked without "
                    f"bucket_width sums its whole range and cannot be dated by day; export it "
                    f"with bucket_width=1d"
                )
            start = fields.timestamp(row.get("starting_at"), "starting_at")
            end = fields.timestamp(row.get("ending_at"), "ending_at")
            day = fields.iso(start)[:10]
            if end <= start or fields.iso(end) > fields.day_bounds(day)[1]:
                raise RowProblem("ending_at", "a row must end after it starts, on its own day")
            rollup.coverage.add_bucket(start, end)
            add(rollup, day, row, _user(row))
        except RowProblem as problem:
            ctx.add_error(record, problem.column, problem.message)
    _grouping_note(ctx, grouped)
    return ImportedData(USAGE, rollup.frame(), rollup.coverage.result())


def _analytics(sample: FileSample) -> bool:
    """JSON with a key only the Analytics reports have (the Admin API reports have none)."""
    head = sample.head
    return sample.is_json and any(
        f'"{key}"' in head for key in ("product", "rbac_group_id", "list_amount", "user_actor")
    )


class _AnalyticsReport:
    """One of the four reports: bucketed or per user, costs or usage."""

    kind = USAGE
    alternatives = SOURCES
    per_user = False
    costs = False

    def identify(self, sample: FileSample) -> bool:
        head = sample.head
        shaped = ('"actor"' if self.per_user else '"results"') in head
        if self.costs:
            return _analytics(sample) and shaped and '"list_amount"' in head
        return (
            _analytics(sample)
            and shaped
            and '"uncached_input_tokens"' in head
            and '"amount"' not in head
        )

    def read(self, ctx: ReadContext) -> ImportedData:
        add = add_cost if self.costs else add_usage
        return _per_user(ctx, add) if self.per_user else _bucketed(ctx, add)


class AnalyticsCostReportImporter(_AnalyticsReport):
    id = "anthropic-analytics-cost-json"
    label = "Anthropic Analytics API cost report (JSON pages, amounts in cents)"
    source = SOURCES[1]
    costs = True


class AnalyticsUsageReportImporter(_AnalyticsReport):
    id = "anthropic-analytics-usage-json"
    label = "Anthropic Analytics API usage report (JSON pages)"
    source = SOURCES[0]


class AnalyticsUserCostReportImporter(_AnalyticsReport):
    id = "anthropic-analytics-user-cost-json"
    label = "Anthropic Analytics API per-user cost report (JSON pages, amounts in cents)"
    source = SOURCES[3]
    per_user = True
    costs = True


class AnalyticsUserUsageReportImporter(_AnalyticsReport):
    id = "anthropic-analytics-user-usage-json"
    label = "Anthropic Analytics API per-user usage report (JSON pages)"
    source = SOURCES[2]
    per_user = True
