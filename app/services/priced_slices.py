"""A month's usage in one scope, attributed and priced once, shared by the invoices, the usage
facts and everything built on them while the workspace state is the same.

A slice sums the lines with one team, reason, product and environment and one pricing key and
day. The invoices merge slices by team and reason; the facts by team, product and environment.
Each slice is priced once, with integer arithmetic where it can (see :class:`IntegerRates`); its
split by cost type, which only the facts need, is found when they ask.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, NamedTuple

from sqlalchemy import Connection

from app.domain.attribution import Attribution, Attributor
from app.domain.policy import Policy
from app.domain.policy_codec import document_from_mapping
from app.domain.price_book import IntegerRates, PriceBook, priced_split
from app.services.attributed_usage import Labeller, attributed_aggregates
from app.services.period_cache import found_in_state, shared_in_state
from app.services.pricing import (
    aggregate_quantities,
    integer_rates_of,
    price_aggregate,
    token_counts,
    workspace_price_book,
)
from app.workspace.policy_store import current_policy_mapping
from app.workspace.usage_queries import UsageAggregate


class PricedSlice(NamedTuple):
    """Lines with one attribution and one pricing key × day, with their exact cost (a named
    tuple: a month makes tens of thousands)."""

    team: str
    team_source: str
    """Why the team was chosen: ``alias``, ``default`` or the rule's label."""
    product: str
    environment: str
    aggregate: UsageAggregate
    priced: bool
    cost: Decimal
    rates: IntegerRates | None
    """The integer rates it was priced with; ``None`` when the price book decided otherwise
    (unpriced, nothing to price, code execution: see :func:`integer_rates_of`)."""
    list_cost: Decimal | None = None
    """The price before the negotiated discount, where it differs from ``cost``."""

    @property
    def list_amount(self) -> Decimal:
        return self.cost if self.list_cost is None else self.list_cost


def slice_split(item: PricedSlice, book: PriceBook) -> tuple[tuple[str, Decimal], ...]:
    """A slice's cost by the cost report's types (empty for a zero or unpriced slice); the
    amounts add up exactly to its cost."""
    agg = item.aggregate
    if item.rates is not None:
        split = item.rates.split(token_counts(agg), agg.web_searches)
    elif item.priced:
        split = priced_split(book, *aggregate_quantities(agg))[1]
    else:
        split = {}
    return tuple(sorted(split.items()))


def policy_from_mapping(mapping: dict[str, Any] | None) -> Policy:
    return document_from_mapping(mapping)[0].policy if mapping else Policy()


def attributor_in_state(conn: Connection) -> Attributor:
    """The attributor of the policy in force as ``conn`` sees the workspace."""
    return shared_in_state(
        conn, "attributor", lambda: Attributor(policy_from_mapping(current_policy_mapping(conn)))
    )


def price_book_in_state(conn: Connection) -> PriceBook:
    """The price book as ``conn`` sees the workspace (its rates memo shared with it)."""
    return shared_in_state(conn, "price book", lambda: workspace_price_book(conn))


def slice_labels(attribution: Attribution, dims: Mapping[str, str]) -> tuple[str, ...]:
    return (
        attribution.team,
        attribution.team_source,
        attribution.product,
        attribution.environment,
    )


def team_labels(attribution: Attribution, dims: Mapping[str, str]) -> tuple[str, ...]:
    return (attribution.team, attribution.team_source, "", "")


def priced_slices(
    conn: Connection, period: str, scope: dict[str, Any], *, by_product: bool = True
) -> list[PricedSlice]:
    """``period``'s lines in ``scope`` (see :func:`usage_aggregates`) as priced slices,
    computed once per workspace state; the list is shared and must not be changed.

    ``by_product=False`` may merge the products and environments of a team and reason (their
    fields are then blank): a third fewer slices to sum and price, for what needs teams only.
    Slices by product made earlier in the same state serve it as they are.
    """
    name = ("slices", period, json.dumps(scope, sort_keys=True))
    if not by_product:
        found, slices = found_in_state(conn, (*name, True))
        if found:
            return slices  # type: ignore[no-any-return]
    labels = slice_labels if by_product else team_labels
    return shared_in_state(
        conn, (*name, by_product), lambda: _priced_slices(conn, period, scope, labels)
    )


def priced_slices_under(
    conn: Connection,
    attributor: Attributor,
    memo: dict[tuple[Any, ...], Attribution],
    period: str,
    scope: dict[str, Any],
    book: PriceBook | None = None,
) -> list[PricedSlice]:
    """Like ``priced_slices(..., by_product=False)``, but attributed by ``attributor`` (a policy
    not in force: an impact preview), remembering attributions in ``memo``, and priced by
    ``book`` when given (prices not in force); nothing cached."""
    return _priced_slices(conn, period, scope, team_labels, (attributor, memo), book)


def _priced_slices(
    conn: Connection,
    period: str,
    scope: dict[str, Any],
    labeller: Labeller,
    under: tuple[Attributor, dict[tuple[Any, ...], Attribution]] | None = None,
    book: PriceBook | None = None,
) -> list[PricedSlice]:
    book = book or price_book_in_state(conn)
    attributor, memo = under if under is not None else (attributor_in_state(conn), None)
    result = []
    for item in attributed_aggregates(conn, attributor, period, scope, labeller, memo):
        agg = item.aggregate
        rates = integer_rates_of(book, agg)
        list_cost = None
        if rates is not None:
            priced, cost = True, rates.cost(token_counts(agg), agg.web_searches)
            list_rates = integer_rates_of(book, agg, at_list=True)
            if list_rates is not rates and list_rates is not None:
                list_cost = list_rates.cost(token_counts(agg), agg.web_searches)
        else:
            found = price_aggregate(book, agg)
            priced, cost, list_cost = found.priced, found.cost, found.list_cost
        result.append(PricedSlice(*item.labels, agg, priced, cost, rates, list_cost))
    return result
