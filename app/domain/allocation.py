"""Allocation of one period (CHARGEBACK_MATH.md §4–5): direct cost, provider true-up, shared
pools in order, overhead, then rounding to cents that keeps every total.

All arithmetic is exact (``Fraction``); only the document lines are rounded, group by group:
each split (the true-up, each pool) and each single line is a group; group totals are rounded by
largest remainder to the period's rounded total, then each group's cents are spread over its
lines by largest remainder (ties by team name, then line order).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from app.domain.money import format_money_display
from app.domain.policy import UNALLOCATED, Policy, Pool
from app.domain.rounding import largest_remainder_cents, round_half_up_cents

USAGE, PRIOR_PERIOD, ADJUSTMENT, SHARED, OVERHEAD = (
    "usage",
    "prior_period",
    "adjustment",
    "shared",
    "overhead",
)


@dataclass(frozen=True)
class CostLine:
    """Attributed cost of a period: one team, one label (a model), why it is there."""

    team: str
    label: str
    cost: Decimal
    kind: str = USAGE
    reason: str = ""
    """Which rule or alias put the cost on the team (allocation trail)."""
    list_cost: Decimal | None = None
    """The cost before the negotiated discount, where it differs (allocation trail)."""


@dataclass(frozen=True)
class PoolShare:
    """One target's share of one pool: the weight used, the share, the exact amount."""

    pool: str
    method: str
    target: str
    weight: Fraction
    share: Fraction
    amount: Fraction


@dataclass(frozen=True)
class InvoiceLine:
    kind: str
    label: str
    exact: Fraction
    cents: int
    trail: tuple[str, ...] = ()
    list_exact: Fraction | None = None
    """A usage line's cost before the negotiated discount, where it has one."""
    dispute: str | None = None
    """The dispute (``D-12``) an adjustment line carries out, if it is one."""


@dataclass(frozen=True)
class TeamInvoice:
    team: str
    cost_center: str
    lines: tuple[InvoiceLine, ...]

    @property
    def total_cents(self) -> int:
        return sum(line.cents for line in self.lines)

    @property
    def exact_total(self) -> Fraction:
        return sum((line.exact for line in self.lines), Fraction(0))


@dataclass(frozen=True)
class PeriodAllocation:
    """Everything the invoices of a period show and how it was reached."""

    period: str
    invoices: tuple[TeamInvoice, ...]
    unallocated_exact: Fraction
    unallocated_cents: int
    direct_total: Fraction
    provider_total: Fraction | None
    adjustment_total: Fraction | None
    overhead_total: Fraction
    pool_shares: tuple[PoolShare, ...]
    warnings: tuple[str, ...] = ()

    @property
    def grand_total_cents(self) -> int:
        return sum(invoice.total_cents for invoice in self.invoices)


def _percent(value: Fraction) -> str:
    return f"{float(value * 100):.2f}%"  # display only; the exact share stays in the trail


def _exact_text(value: Fraction) -> str:
    """A Fraction as decimal text to 10 places, for the trail (the exact value is kept)."""
    scaled = value * 10**10
    rounded = (scaled.numerator * 2 + scaled.denominator) // (2 * scaled.denominator)
    text = f"{Decimal(rounded).scaleb(-10):f}".rstrip("0").rstrip(".")
    return text or "0"


METHOD_WEIGHTS = {
    "proportional": "by direct cost + adjustment ({w})",
    "even": "in equal shares",
    "fixed": "fixed at {w}%",
    "weighted": "by weight {w}",
}
"""How a pool's share was weighed, in words (``{w}``: the target's weight, as money for the
proportional method)."""


def _money_text(value: Fraction, currency: str) -> str:
    """An amount for the trail in words (the exact amount stays on the line)."""
    cents = round_half_up_cents(value)
    return format_money_display(Decimal(cents).scaleb(-2), currency)


def _share_trail(share: PoolShare, pool_total: Fraction, currency: str) -> tuple[str, ...]:
    weight = (
        _money_text(share.weight, currency)
        if share.method == "proportional"
        else _exact_text(share.weight)
    )
    method = METHOD_WEIGHTS.get(share.method, "by weight {w}").format(w=weight)
    return (
        f"{_percent(share.share)} of the {share.pool} pool "
        f"{_money_text(pool_total, currency)}, {method}",
    )


def _adjustment_share(ledger: _Ledger, team: str, delta: Fraction) -> Fraction:
    """The team's share of the provider difference (its direct cost over all direct cost).

    Taken from the adjustment itself: by the time invoices are written, pools have emptied
    their own direct cost, so the direct costs no longer add up to the whole.
    """
    return ledger.adjustment.get(team, Fraction(0)) / delta if delta else Fraction(0)


def _list_amounts(indexed: _ByTeam, team: str) -> dict[tuple[str, str], Fraction]:
    """The list price of each of a team's lines (kind and label) that has a negotiated
    discount."""
    discounted = {
        (line.kind, line.label)
        for line in indexed.lines.get(team, ())
        if line.list_cost is not None and line.list_cost != line.cost
    }
    found: dict[tuple[str, str], Fraction] = {}
    for line in indexed.lines.get(team, ()):
        key = (line.kind, line.label)
        if key in discounted:
            listed = line.cost if line.list_cost is None else line.list_cost
            found[key] = found.get(key, Fraction(0)) + Fraction(listed)
    return found


def _discount_trail(list_amount: Fraction, amount: Fraction, currency: str) -> tuple[str, ...]:
    """The negotiated discount of a line in its trail: list price, discount and its share."""
    if list_amount == amount:
        return ()
    discount = list_amount - amount
    share = f" ({_percent(discount / list_amount)})" if list_amount else ""
    return (
        f"list price {_money_text(list_amount, currency)}, negotiated discount "
        f"{_money_text(discount, currency)}{share}",
    )


def _rate_label(rate: Decimal) -> str:
    text = f"{(rate * 100).normalize():f}"
    return f"{text}%"


@dataclass
class _Ledger:
    """Running amounts per team during allocation."""

    direct: dict[str, Fraction] = field(default_factory=dict)
    adjustment: dict[str, Fraction] = field(default_factory=dict)
    received: dict[str, Fraction] = field(default_factory=dict)
    shares: list[PoolShare] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def base(self, team: str) -> Fraction:
        return self.direct.get(team, Fraction(0)) + self.adjustment.get(team, Fraction(0))


def _weights(pool: Pool, targets: list[str], ledger: _Ledger) -> list[Fraction]:
    given = {name: Fraction(value) for name, value in pool.weights}
    if pool.method == "proportional":
        weights = [ledger.base(t) for t in targets]
    elif pool.method == "even":
        weights = [Fraction(1)] * len(targets)
    else:
        weights = [given.get(t, Fraction(0)) for t in targets]
    if sum(weights, Fraction(0)) == 0:
        ledger.warnings.append(f"pool {pool.team}: all weights are zero; shared evenly")
        weights = [Fraction(1)] * len(targets)
    return weights


def _run_pool(pool: Pool, targets: list[str], ledger: _Ledger) -> Fraction:
    """Distribute the pool's whole amount; returns what could not be placed (no targets)."""
    amount = ledger.base(pool.team) + ledger.received.get(pool.team, Fraction(0))
    ledger.direct[pool.team] = Fraction(0)
    ledger.adjustment[pool.team] = Fraction(0)
    ledger.received[pool.team] = Fraction(0)
    if not targets:
        if amount:
            ledger.warnings.append(f"pool {pool.team}: no target teams; kept as unallocated")
        return amount
    weights = _weights(pool, targets, ledger)
    total_weight = sum(weights, Fraction(0))
    method = pool.method
    for target, weight in zip(targets, weights, strict=True):
        share = weight / total_weight
        part = amount * share
        ledger.received[target] = ledger.received.get(target, Fraction(0)) + part
        ledger.shares.append(PoolShare(pool.team, method, target, weight, share, part))
    return Fraction(0)


def allocate(
    period: str, policy: Policy, lines: Iterable[CostLine], provider_total: Decimal | None = None
) -> PeriodAllocation:
    """Allocate one period exactly and round its invoice lines to cents."""
    lines = list(lines)
    ledger = _Ledger()
    for line in lines:
        ledger.direct[line.team] = ledger.direct.get(line.team, Fraction(0)) + Fraction(line.cost)
    team_order = [t.name for t in policy.teams]
    for name in sorted(ledger.direct):
        if name not in team_order and name != UNALLOCATED:
            team_order.append(name)
    direct_total = sum(ledger.direct.values(), Fraction(0))
    settings = policy.settings
    delta: Fraction | None = None
    if settings.true_up == "proportional" and provider_total is not None:
        delta = Fraction(provider_total) - direct_total
        if direct_total == 0:
            ledger.warnings.append("no usage to share the provider adjustment over")
            delta = None
        else:
            for team, cost in ledger.direct.items():
                ledger.adjustment[team] = delta * cost / direct_total
    pool_names = policy.pool_teams()
    archived = policy.archived_team_names()
    chargeable = [
        t
        for t in team_order
        if t not in pool_names and t != UNALLOCATED and (t not in archived or t in ledger.direct)
    ]
    pools = list(policy.pools)
    if settings.unallocated == "spread":
        pools.append(Pool(UNALLOCATED, "proportional"))
    stranded = Fraction(0)
    for index, pool in enumerate(pools):
        later = {p.team for p in pools[index + 1 :]}
        targets = list(pool.targets) if pool.targets else chargeable
        targets = [t for t in targets if t == pool.team or t in chargeable or t in later]
        stranded += _run_pool(pool, [t for t in targets if t != pool.team], ledger)
    return _documents(
        period, policy, lines, ledger, chargeable, stranded, direct_total, provider_total, delta
    )


@dataclass(frozen=True)
class _ByTeam:
    """Cost lines and pool shares indexed by team, and each pool's total (built once)."""

    lines: dict[str, list[CostLine]]
    shares: dict[str, list[PoolShare]]
    pool_totals: dict[str, Fraction]

    @classmethod
    def index(cls, lines: Sequence[CostLine], shares: Sequence[PoolShare]) -> _ByTeam:
        by_team: dict[str, list[CostLine]] = {}
        for line in lines:
            by_team.setdefault(line.team, []).append(line)
        by_target: dict[str, list[PoolShare]] = {}
        totals: dict[str, Fraction] = {}
        for share in shares:
            by_target.setdefault(share.target, []).append(share)
            totals[share.pool] = totals.get(share.pool, Fraction(0)) + share.amount
        return cls(by_team, by_target, totals)


def _team_lines(
    team: str, policy: Policy, indexed: _ByTeam, ledger: _Ledger, delta: Fraction | None
) -> list[tuple[str, str, Fraction, tuple[str, ...], str]]:
    """(kind, label, exact, trail, group) of one team's invoice, in document order."""
    currency = policy.settings.currency
    by_label: dict[tuple[str, str], tuple[Fraction, set[str]]] = {}
    for line in indexed.lines.get(team, ()):
        key = (line.kind, line.label)
        amount, reasons = by_label.get(key, (Fraction(0), set()))
        if line.reason:
            reasons = reasons | {line.reason}
        by_label[key] = (amount + Fraction(line.cost), reasons)
    listed = _list_amounts(indexed, team)
    result = []
    for (kind, label), (amount, reasons) in sorted(
        by_label.items(), key=lambda i: (i[0][0] != USAGE, i[0][1])
    ):
        if amount == 0:
            continue
        trail = tuple(sorted(reasons))
        if (kind, label) in listed:
            trail += _discount_trail(listed[(kind, label)], amount, currency)
        result.append((kind, label, amount, trail, f"{kind}:{team}:{label}"))
    if delta is not None and ledger.adjustment.get(team):
        result.append(
            (
                ADJUSTMENT,
                "Provider adjustment",
                ledger.adjustment[team],
                (
                    f"{_percent(_adjustment_share(ledger, team, delta))} of the provider "
                    f"difference {_money_text(delta, currency)}, by direct cost",
                ),
                ADJUSTMENT,
            )
        )
    subtotal = ledger.base(team)
    for share in indexed.shares.get(team, ()):
        result.append(
            (
                SHARED,
                f"{share.pool} ({share.method}, {_percent(share.share)})",
                share.amount,
                _share_trail(share, indexed.pool_totals[share.pool], currency),
                f"{SHARED}:{share.pool}",
            )
        )
        subtotal += share.amount
    team_policy = policy.team(team)
    rate = settings_rate(policy, team_policy.overhead_rate if team_policy else None)
    if rate:
        result.append(
            (
                OVERHEAD,
                f"Platform overhead {_rate_label(rate)}",
                subtotal * Fraction(rate),
                (
                    f"{_rate_label(rate)} of {_money_text(subtotal, currency)} "
                    f"(direct + adjustment + shared)",
                ),
                f"{OVERHEAD}:{team}",
            )
        )
    return result


def settings_rate(policy: Policy, override: Decimal | None) -> Decimal:
    return policy.settings.overhead_rate if override is None else override


def _documents(
    period: str,
    policy: Policy,
    lines: Sequence[CostLine],
    ledger: _Ledger,
    chargeable: list[str],
    stranded: Fraction,
    direct_total: Fraction,
    provider_total: Decimal | None,
    delta: Fraction | None,
) -> PeriodAllocation:
    drafts: list[tuple[str, list[tuple[str, str, Fraction, tuple[str, ...], str]]]] = []
    indexed = _ByTeam.index(lines, ledger.shares)
    for team in chargeable:
        team_lines = _team_lines(team, policy, indexed, ledger, delta)
        if any(amount for _, _, amount, _, _ in team_lines):
            drafts.append((team, team_lines))
    unallocated = ledger.base(UNALLOCATED) + ledger.received.get(UNALLOCATED, Fraction(0))
    unallocated += stranded
    flat = [
        (team, position, line)
        for team, team_lines in drafts
        for position, line in enumerate(team_lines)
    ]
    groups: dict[str, list[int]] = {}
    for index, (_, _, line) in enumerate(flat):
        groups.setdefault(line[4], []).append(index)
    exact = [line[2] for _, _, line in flat] + [unallocated]
    group_members = [*groups.values(), [len(flat)]]
    group_totals = [sum((exact[i] for i in members), Fraction(0)) for members in group_members]
    target = round_half_up_cents(sum(exact, Fraction(0)))
    # A tie between groups goes by team name, then line order (§5), like a tie within one.
    group_keys = [
        min((flat[i][0], flat[i][1]) for i in members)
        if members[0] < len(flat)
        else (UNALLOCATED, 0)
        for members in group_members
    ]
    group_cents = largest_remainder_cents(group_totals, target, group_keys)
    cents = [0] * len(exact)
    for members, total in zip(group_members, group_cents, strict=True):
        keys = [(flat[i][0], flat[i][1]) if i < len(flat) else ("~", 0) for i in members]
        for i, value in zip(
            members, largest_remainder_cents([exact[i] for i in members], total, keys), strict=True
        ):
            cents[i] = value
    invoices = []
    cursor = 0
    for team, team_lines in drafts:
        document = []
        listed = _list_amounts(indexed, team)
        for kind, label, amount, trail, _ in team_lines:
            document.append(
                InvoiceLine(kind, label, amount, cents[cursor], trail, listed.get((kind, label)))
            )
            cursor += 1
        team_policy = policy.team(team)
        invoices.append(
            TeamInvoice(team, team_policy.cost_center if team_policy else "", tuple(document))
        )
    overhead_total = sum(
        (line.exact for inv in invoices for line in inv.lines if line.kind == OVERHEAD), Fraction(0)
    )
    adjustment_total = delta
    return PeriodAllocation(
        period=period,
        invoices=tuple(invoices),
        unallocated_exact=unallocated,
        unallocated_cents=cents[-1],
        direct_total=direct_total,
        provider_total=None if provider_total is None else Fraction(provider_total),
        adjustment_total=adjustment_total,
        overhead_total=overhead_total,
        pool_shares=tuple(ledger.shares),
        warnings=tuple(ledger.warnings),
    )
