"""Use case: the model-use policy report (issue 15) — for each ``[[model_rules]]`` rule of the
policy, the usage that broke it in the months asked: what it cost (at stake) and what it would
have cost had the rule been followed (the same tokens on the model named ``instead``, at batch
prices, or at standard speed), by team, environment and model."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from app.domain.model_rules import FORBID_MODELS, REQUIRE_BATCH, ModelRule
from app.domain.price_book import PriceBook
from app.services.policy import current_document
from app.services.priced_slices import price_book_in_state
from app.services.pricing import aggregate_quantities
from app.services.usage_scan import ScannedUsage, scan_months
from app.workspace.db import Workspace
from app.workspace.usage_queries import UsageAggregate


@dataclass(frozen=True)
class Breach:
    """Usage of one team, environment and model that broke a rule."""

    team: str
    environment: str
    model: str
    cost: Decimal
    followed: Decimal
    """What it would have cost under the rule (usage a source gave only as a cost counts as
    it was: no saving is claimed for it)."""


@dataclass(frozen=True)
class RuleReport:
    rule: ModelRule
    breaches: tuple[Breach, ...]
    unpriced_lines: int = 0
    """Breaking usage whose cost is unknown (a model the price book lacks): not in the sums."""
    not_repriced: int = 0
    """Breaking lines that could not be priced as the rule asks (``instead`` is a model the
    price book does not know, or the source gave only a cost): counted at what they cost."""

    @property
    def notes(self) -> list[str]:
        found = []
        if self.unpriced_lines:
            found.append(f"{self.unpriced_lines} unpriced line(s) break it: cost unknown")
        if self.not_repriced:
            what = (
                f"{self.rule.instead} is not in the price book, or "
                if self.rule.forbid_models
                else ""
            )
            found.append(
                f"{self.not_repriced} line(s) could not be repriced ({what}the source gave "
                f"only a cost): no saving is claimed for them"
            )
        return found

    @property
    def at_stake(self) -> Decimal:
        return sum((b.cost for b in self.breaches), Decimal(0))

    @property
    def if_followed(self) -> Decimal:
        """What the priced breaches would have cost; breaches without tokens count as is."""
        return sum((b.followed for b in self.breaches), Decimal(0))

    @property
    def saving(self) -> Decimal:
        return self.at_stake - self.if_followed


def _priced_with(book: PriceBook, agg: UsageAggregate, **changes: str) -> Decimal | None:
    if not agg.has_usage:
        return None
    key, usage = aggregate_quantities(agg)
    priced = book.price(replace(key, **changes), replace(usage, provided_cost=None))
    return priced.cost if priced.priced else None


def _followed(rule: ModelRule, book: PriceBook, agg: UsageAggregate) -> Decimal | None:
    if rule.demand == FORBID_MODELS:
        return _priced_with(book, agg, model=rule.instead)
    if rule.demand == REQUIRE_BATCH:
        return _priced_with(book, agg, service_tier="batch")
    return _priced_with(book, agg, speed="standard")


def _report(rule: ModelRule, rows: list[ScannedUsage], book: PriceBook) -> RuleReport:
    found: dict[tuple[str, str, str], list[Decimal]] = {}
    unpriced = not_repriced = 0
    for row in rows:
        agg, who = row.aggregate, row.attribution
        if not rule.covers(who.team, who.environment):
            continue
        if not rule.broken_by(agg.model, agg.service_tier, agg.speed):
            continue
        if row.cost is None:
            unpriced += agg.lines
            continue
        sums = found.setdefault((who.team, who.environment, agg.model), [Decimal(0), Decimal(0)])
        followed = _followed(rule, book, agg)
        if followed is None:
            not_repriced += agg.lines
        sums[0] += row.cost
        sums[1] += row.cost if followed is None else followed
    breaches = sorted(
        (
            Breach(team, environment, model, cost, followed)
            for (team, environment, model), (cost, followed) in found.items()
        ),
        key=lambda b: (-b.cost, b.team, b.environment, b.model),
    )
    return RuleReport(rule, tuple(breaches), unpriced, not_repriced)


def model_policy_report(
    workspace: Workspace, months: list[str], rows: list[ScannedUsage] | None = None
) -> list[RuleReport]:
    """Every rule of the policy with what broke it in ``months``, in the policy's order;
    ``rows``: the months already scanned (:func:`scan_months`), else they are read."""
    rules = current_document(workspace).model_rules
    if not rules:
        return []
    rows = scan_months(workspace, months) if rows is None else rows
    with workspace.engine.connect() as conn:
        book = price_book_in_state(conn)
    return [_report(rule, rows, book) for rule in rules]
