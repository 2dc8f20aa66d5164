"""Use case: cost of a period grouped by raw dimensions, model or day (``report``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from app.domain.money import MONEY_CONTEXT
from app.domain.rounding import round_to_cents_preserving_total
from app.services.pricing import price_aggregate, workspace_price_book
from app.workspace import periods
from app.workspace.db import Workspace
from app.workspace.usage_queries import (
    SUMMED_COUNTS,
    UnknownDimension,
    periods_with_usage,
    usage_aggregates,
)

COUNT_FIELDS = SUMMED_COUNTS
DEFAULT_BY = ("model",)


class ReportError(ValueError):
    """The report cannot be made as asked (bad period or grouping); message for the user."""


@dataclass
class ReportRow:
    """One group of a cost report."""

    group: dict[str, str]
    cost: Decimal = Decimal(0)
    list_cost: Decimal = Decimal(0)
    """The cost before the negotiated discount (``cost`` where there is none)."""
    cents: int = 0
    discount_cents: int = 0
    """The discount (list − cost) in cents, rounded like ``cents`` so the rows add up to the
    total's; a row without a discount shows none."""
    lines: int = 0
    unpriced_lines: int = 0
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNT_FIELDS, 0))


@dataclass
class CostReport:
    """Cost per group for one period; row cents add up to the total's cents exactly."""

    period: str
    by: tuple[str, ...]
    rows: list[ReportRow]
    total: Decimal
    total_cents: int
    unpriced_lines: int
    unpriced_models: tuple[str, ...]
    list_total: Decimal = Decimal(0)

    @property
    def discount_total(self) -> Decimal:
        """The negotiated discount: list − net."""
        return self.list_total - self.total


def check_period(period: str) -> None:
    """Raise :class:`ReportError` unless ``period`` is ``YYYY-MM``."""
    parts = period.split("-")
    if (
        len(parts) != 2
        or not all(p.isdigit() for p in parts)
        or len(parts[0]) != 4
        or not 1 <= int(parts[1]) <= 12
        or len(parts[1]) != 2
    ):
        raise ReportError(f"period must be YYYY-MM, not {period!r}")


def available_periods(workspace: Workspace) -> list[str]:
    with workspace.engine.connect() as conn:
        return periods_with_usage(conn)


def closed_periods(workspace: Workspace) -> list[str]:
    """The closed months, oldest first."""
    with workspace.engine.connect() as conn:
        return sorted(periods.closed(conn))


def cost_report(workspace: Workspace, period: str, by: Sequence[str] = DEFAULT_BY) -> CostReport:
    check_period(period)
    by = tuple(by) or DEFAULT_BY
    with workspace.engine.connect() as conn:
        book = workspace_price_book(conn)
        try:
            aggregates = usage_aggregates(conn, by=by, period=period)
        except UnknownDimension as exc:
            raise ReportError(
                f"cannot group by {exc.args[0]!r}; use model, day, month, "
                f"api_key, workspace, user, service_tier, … or tag.<name>"
            ) from None
    rows: dict[tuple[str, ...], ReportRow] = {}
    unpriced_models: set[str] = set()
    for agg in aggregates:
        row = rows.get(agg.group)
        if row is None:
            row = ReportRow(group=dict(zip(by, agg.group, strict=True)))
            rows[agg.group] = row
        row.lines += agg.lines
        for name in COUNT_FIELDS:
            row.counts[name] += getattr(agg, name)
        priced = price_aggregate(book, agg)
        if priced.priced:
            row.cost = MONEY_CONTEXT.add(row.cost, priced.cost)
            row.list_cost = MONEY_CONTEXT.add(row.list_cost, priced.list_amount)
        else:
            row.unpriced_lines += agg.lines
            unpriced_models.add(agg.model)
    ordered = sorted(rows.values(), key=lambda r: (-r.cost, tuple(r.group.values())))
    cents = round_to_cents_preserving_total(
        [r.cost for r in ordered], [tuple(r.group.values()) for r in ordered]
    )
    for row, value in zip(ordered, cents, strict=True):
        row.cents = value
    discounts = round_to_cents_preserving_total(
        [r.list_cost - r.cost for r in ordered], [tuple(r.group.values()) for r in ordered]
    )
    for row, value in zip(ordered, discounts, strict=True):
        row.discount_cents = value
    total = sum((r.cost for r in ordered), Decimal(0))
    return CostReport(
        period=period,
        by=by,
        rows=ordered,
        total=total,
        total_cents=sum(cents),
        unpriced_lines=sum(r.unpriced_lines for r in ordered),
        unpriced_models=tuple(sorted(unpriced_models)),
        list_total=sum((r.list_cost for r in ordered), Decimal(0)),
    )
