"""Use case: reconcile a period — usage re-priced with the price book vs the cost report /
Console cost export vs the provider invoice, by model and token type, with known gaps named."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from app.domain.money import MONEY_CONTEXT, format_money
from app.domain.price_book import PriceBook, cost_by_type, usage_split
from app.domain.usage import BAND_UNKNOWN, PROMPT_BAND_LIMITS, PricingKey, UsageQuantities
from app.services.pricing import aggregate_quantities, workspace_price_book
from app.services.reporting import check_period
from app.workspace.db import Workspace
from app.workspace.policy_store import provider_total
from app.workspace.statement_queries import statement_totals, usage_gap_counts
from app.workspace.usage_queries import UsageAggregate, usage_aggregates

STATEMENT_SOURCES = ("anthropic-cost-api", "console-cost-csv")
"""Statement sources in order of preference: where both cover a day, the first is used."""
SOURCE_NAMES = {
    "anthropic-cost-api": "Admin API cost report",
    "console-cost-csv": "Console cost export",
}
GAP_TEXT = {
    "priority_tier": "{n} usage line(s) at priority tier: priority costs are absent from cost "
    "reports",
    "console_no_key": "{n} Console usage line(s) have no API key (Console/Workbench use)",
    "default_workspace": "{n} Admin API usage line(s) are in the Default workspace "
    "(workspace_id null)",
    "no_api_key": "{n} Admin API usage line(s) have no API key (Console/Workbench use)",
}


@dataclass
class VarianceRow:
    model: str
    token_type: str
    usage: Decimal = Decimal(0)
    usage_list: Decimal = Decimal(0)
    """The usage before the negotiated discount."""
    statements: dict[str, Decimal] = field(default_factory=dict)

    def billed(self) -> Decimal | None:
        for source in STATEMENT_SOURCES:
            if source in self.statements:
                return self.statements[source]
        return None


@dataclass(frozen=True)
class SourceUse:
    """Which statement source the reconciliation took, and on which days."""

    source: str
    days: tuple[str, ...]
    days_set_aside: tuple[str, ...] = ()
    """Days this source also covered, where a preferred source was used instead."""

    @property
    def name(self) -> str:
        return SOURCE_NAMES.get(self.source, self.source)


@dataclass
class Reconciliation:
    period: str
    usage_total: Decimal
    statement_totals: dict[str, Decimal]
    """Per source, over the days it was used (never two sources for one day)."""
    provider_total: Decimal | None
    rows: list[VarianceRow]
    gaps: list[str]
    unpriced_lines: int
    sources: list[SourceUse] = field(default_factory=list)
    usage_list_total: Decimal = Decimal(0)
    """The usage before the negotiated discount (list − net is the discount)."""
    statement_list_totals: dict[str, Decimal] = field(default_factory=dict)
    """Per source, the list amounts it reports (where it reports them)."""


@dataclass
class _BandUnknown:
    """Lines of models with prompt bands from sources that sum requests (§1): priced at the
    low band, and named."""

    lines: dict[str, int] = field(default_factory=dict)
    cost: dict[str, Decimal] = field(default_factory=dict)

    def add(self, agg: UsageAggregate, amounts: Iterable[Decimal]) -> None:
        self.lines[agg.model] = self.lines.get(agg.model, 0) + agg.lines
        for amount in amounts:
            _add(self.cost, agg.model, amount)

    def gaps(self) -> list[str]:
        return [
            f"{self.lines[model]} usage line(s) of {model} have an unknown prompt band (a source "
            f"that sums requests): priced at the low band, "
            f"{format_money(self.cost.get(model, Decimal(0)))} USD; requests with prompts over "
            f"{PROMPT_BAND_LIMITS[model]:,} tokens would pay the high band"
            for model in sorted(self.lines)
        ]


def _add(mapping: dict, key, amount: Decimal) -> None:  # type: ignore[no-untyped-def]
    mapping[key] = MONEY_CONTEXT.add(mapping.get(key, Decimal(0)), amount)


def reconcile(workspace: Workspace, period: str) -> Reconciliation:
    check_period(period)
    with workspace.engine.connect() as conn:
        book = workspace_price_book(conn)
        aggregates = usage_aggregates(conn, period=period)
        statements = statement_totals(conn, period)
        gaps = usage_gap_counts(conn, period)
        provider = provider_total(conn, period)
    rows: dict[tuple[str, str], VarianceRow] = {}
    unpriced = 0
    usage_total = Decimal(0)
    band_unknown = _BandUnknown()
    usage_list_total = Decimal(0)
    for agg in aggregates:
        key, usage = aggregate_quantities(agg)
        split = cost_by_type(book, key, usage)
        list_split = _list_split(book, key, usage, split)
        if not split and usage.has_priceable_usage():
            unpriced += agg.lines
        elif agg.prompt_band == BAND_UNKNOWN:
            band_unknown.add(agg, split.values())
        for token_type, amount in split.items():
            model = "" if token_type in ("web_search", "code_execution") else agg.model
            row = rows.setdefault((model, token_type), VarianceRow(model, token_type))
            row.usage = MONEY_CONTEXT.add(row.usage, amount)
            usage_total = MONEY_CONTEXT.add(usage_total, amount)
            listed = list_split.get(token_type, amount)
            row.usage_list = MONEY_CONTEXT.add(row.usage_list, listed)
            usage_list_total = MONEY_CONTEXT.add(usage_list_total, listed)
    totals: dict[str, Decimal] = {}
    code_execution_billed = False
    chosen, uses = _one_source_per_day(statements)
    # A source that reports list prices for some rows is at list on the others.
    at_list: dict[str, Decimal] = {}
    listed_sources: set[str] = set()
    for source, day, model, token_type, cost_type, amount_text, list_text in statements:
        if chosen[day] != source:
            continue
        amount = Decimal(amount_text)
        if list_text is not None:
            listed_sources.add(source)
        _add(at_list, source, amount if list_text is None else Decimal(list_text))
        kind = token_type or cost_type or "other"
        if cost_type in ("web_search", "code_execution"):
            kind, model = cost_type, ""
        code_execution_billed |= kind == "code_execution"
        row = rows.setdefault((model, kind), VarianceRow(model, kind))
        _add(row.statements, source, amount)
        _add(totals, source, amount)
    named = [GAP_TEXT[k].format(n=n) for k, n in gaps.items() if n]
    if code_execution_billed and not rows.get(("", "code_execution"), VarianceRow("", "")).usage:
        named.append(
            "code execution is billed in the cost report only (no usage source reports it)"
        )
    if unpriced:
        named.append(f"{unpriced} unpriced usage line(s) are not in the usage total")
    named.extend(band_unknown.gaps())
    ordered = sorted(rows.values(), key=lambda r: (r.model == "", r.model, r.token_type))
    return Reconciliation(
        period,
        usage_total,
        totals,
        None if provider is None else Decimal(provider),
        ordered,
        named,
        unpriced,
        uses,
        usage_list_total,
        {source: total for source, total in at_list.items() if source in listed_sources},
    )


def _list_split(
    book: PriceBook, key: PricingKey, usage: UsageQuantities, split: dict[str, Decimal]
) -> dict[str, Decimal]:
    """A line's list price by cost type, where it differs from ``split`` (its net price)."""
    if "provided" in split:
        return {} if usage.provided_list_cost is None else {"provided": usage.provided_list_cost}
    if not split or not book.discount_for(key.model, key.day):
        return {}
    list_rates = book.list_rates_for(key)
    return {} if list_rates is None else usage_split(list_rates, usage)


def _one_source_per_day(
    statements: list[tuple[str, str, str, str, str, str]],
) -> tuple[dict[str, str], list[SourceUse]]:
    """Each day's statement source: the preferred one among those that cover it."""
    covering: dict[str, set[str]] = {}
    for source, day, *_ in statements:
        covering.setdefault(day, set()).add(source)
    rank = {source: i for i, source in enumerate(STATEMENT_SOURCES)}
    chosen = {
        day: min(sources, key=lambda s: (rank.get(s, len(rank)), s))
        for day, sources in covering.items()
    }
    uses = []
    for source in sorted(
        {s for ss in covering.values() for s in ss}, key=lambda s: rank.get(s, 99)
    ):
        used = tuple(sorted(d for d, c in chosen.items() if c == source))
        aside = tuple(
            sorted(d for d, ss in covering.items() if source in ss and chosen[d] != source)
        )
        uses.append(SourceUse(source, used, aside))
    return chosen, uses
