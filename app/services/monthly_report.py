"""Use case: the monthly cross-team report (issue 15) — one document a controller sends to
every team lead after close: each team's total and its twelve-month trend, budget status, unit
economics and their change, the top movers (teams, products, models), the biggest savings
levers in dollars and the anomalies.

Built from the month's snapshot: the frozen document and the inputs frozen at close (a draft
month: live, and the report says DRAFT). Savings and anomalies are estimates computed from the
month's usage, labelled as such.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from app.domain.periods import months_ending, previous_month
from app.domain.unit_economics import UsageFact
from app.services.export_inputs import ExportInputs, export_inputs
from app.services.insights import month_insights
from app.services.invoices import invoice_document
from app.services.reporting import check_period
from app.workspace import periods
from app.workspace.db import Workspace
from app.workspace.usage_queries import periods_with_usage

TREND_MONTHS = 12
TOP_MOVERS = 5
TOP_LEVERS = 6
UNIT_FIGURES = ("cost_per_request", "cost_per_mtok", "cache_hit_rate", "batch_share")


@dataclass(frozen=True)
class TeamSummary:
    team: str
    total: Decimal
    previous: Decimal | None
    budget: Decimal | None
    status: str
    trend: tuple[Decimal, ...]
    """The team's invoice total each month of the report's twelve, oldest first."""
    unit: dict[str, Decimal | None]
    unit_previous: dict[str, Decimal | None]


@dataclass(frozen=True)
class Mover:
    name: str
    current: Decimal
    previous: Decimal

    @property
    def change(self) -> Decimal:
        return self.current - self.previous


@dataclass(frozen=True)
class Lever:
    team: str
    lever: str
    amount: Decimal
    assumption: str


@dataclass(frozen=True)
class Spike:
    subject: str
    day: str
    cost: Decimal
    baseline: Decimal
    driver: str


@dataclass(frozen=True)
class MonthlyReport:
    workspace_name: str
    period: str
    status: str
    billing: str
    currency: str
    grand_total: Decimal
    unallocated: Decimal
    previous_total: Decimal | None
    months: tuple[str, ...]
    month_totals: tuple[Decimal, ...]
    teams: tuple[TeamSummary, ...]
    movers: dict[str, tuple[Mover, ...]]
    """``teams``, ``products`` and ``models``: the largest changes on last month, either way."""
    levers: tuple[Lever, ...]
    anomalies: tuple[Spike, ...]
    open_disputes: tuple[dict[str, Any], ...]
    as_of: datetime | None
    trend_teams: tuple[tuple[str, tuple[Decimal, ...]], ...] = ()
    """Every team of the twelve months with its invoice total each month (the chart)."""
    unpriced_lines: int = 0
    warnings: tuple[str, ...] = ()


def _totals(document: dict[str, Any]) -> dict[str, Decimal]:
    return {i["team"]: Decimal(i["total"]) for i in document["invoices"]}


def _direct(facts: list[UsageFact], key: str) -> dict[str, Decimal]:
    found: dict[str, Decimal] = {}
    for fact in facts:
        name = getattr(fact, key)
        found[name] = found.get(name, Decimal(0)) + fact.cost
    return found


def _movers(current: dict[str, Decimal], previous: dict[str, Decimal]) -> tuple[Mover, ...]:
    names = set(current) | set(previous)
    moves = [
        Mover(n, current.get(n, Decimal(0)), previous.get(n, Decimal(0)))
        for n in names
        if current.get(n, Decimal(0)) != previous.get(n, Decimal(0))
    ]
    moves.sort(key=lambda m: (-abs(m.change), m.name))
    return tuple(moves[:TOP_MOVERS])


def _insights(
    workspace: Workspace, period: str, inputs: ExportInputs
) -> tuple[tuple[Lever, ...], tuple[Spike, ...]]:
    """The savings levers (largest first) and anomalies: frozen at close, else computed now."""
    if inputs.levers is not None and inputs.anomalies is not None:
        levers = [
            Lever(x["team"], x["lever"], Decimal(x["amount"]), x["assumption"])
            for x in inputs.levers
        ]
        spikes = [
            Spike(a["subject"], a["day"], Decimal(a["cost"]), Decimal(a["baseline"]), a["driver"])
            for a in inputs.anomalies
        ]
    else:
        found = month_insights(workspace, period)
        levers = [Lever(x.team, x.lever, x.amount, x.assumption) for x in found.savings]
        spikes = [Spike(a.subject, a.day, a.cost, a.baseline, a.driver) for a in found.anomalies]
    levers.sort(key=lambda x: (-x.amount, x.team, x.lever))
    return tuple(levers[:TOP_LEVERS]), tuple(spikes)


def _trend_teams(
    months: tuple[str, ...], documents: dict[str, dict[str, Any]]
) -> tuple[tuple[str, tuple[Decimal, ...]], ...]:
    """Every team invoiced in any of the months (a team merged away since included), with its
    total per month, largest overall first: the bars add up to each month's invoices."""
    per_team: dict[str, list[Decimal]] = {}
    for index, month in enumerate(months):
        for team, total in _totals(documents.get(month, {"invoices": []})).items():
            per_team.setdefault(team, [Decimal(0)] * len(months))[index] = total
    ordered = sorted(per_team.items(), key=lambda i: (-sum(i[1]), i[0]))
    return tuple((team, tuple(values)) for team, values in ordered)


def monthly_report(workspace: Workspace, period: str) -> MonthlyReport:
    """The report of ``period``: closed (as frozen) or a draft."""
    check_period(period)
    document = invoice_document(workspace, period)
    inputs = export_inputs(workspace, period)
    final = document["status"] == "final"
    with workspace.engine.connect() as conn:
        closed = set(periods.closed(conn))
        # A closed month's report shows the closed months before it, as they were frozen: a
        # late import never adds months to it. A draft shows every month with usage too.
        shown = closed if final else closed | set(periods_with_usage(conn))
    window = months_ending(period, TREND_MONTHS)
    first = min((m for m in window if m in shown), default=period)
    months = tuple(m for m in window if m >= first)
    documents = {
        m: (document if m == period else invoice_document(workspace, m))
        for m in months
        if m in shown or m == period
    }
    before = previous_month(period)
    has_before = before in documents
    previous_inputs = export_inputs(workspace, before) if has_before else None
    totals = _totals(document)
    previous_totals = _totals(documents[before]) if has_before else {}
    previous_units = previous_inputs.unit_economics if previous_inputs else {}
    summaries = tuple(
        TeamSummary(
            team=team,
            total=total,
            previous=previous_totals.get(team),  # None: new, or no last month
            budget=inputs.budgets.get(team),
            status=inputs.statuses.get(team, ""),
            trend=tuple(
                _totals(documents[m]).get(team, Decimal(0)) if m in documents else Decimal(0)
                for m in months
            ),
            unit={k: inputs.unit_economics.get(team, {}).get(k) for k in UNIT_FIGURES},
            unit_previous={k: previous_units.get(team, {}).get(k) for k in UNIT_FIGURES},
        )
        for team, total in sorted(totals.items(), key=lambda i: (-i[1], i[0]))
    )
    previous_facts = previous_inputs.facts if previous_inputs else []
    levers, spikes = _insights(workspace, period, inputs)
    return MonthlyReport(
        workspace_name=inputs.workspace_name,
        period=period,
        status=document["status"],
        billing=document.get("billing", "chargeback"),
        currency=document["currency"],
        grand_total=Decimal(document["grand_total"]),
        unallocated=Decimal(document["unallocated"]),
        previous_total=Decimal(documents[before]["grand_total"]) if has_before else None,
        months=months,
        month_totals=tuple(
            Decimal(documents[m]["grand_total"]) if m in documents else Decimal(0) for m in months
        ),
        teams=summaries,
        movers={
            "teams": _movers(totals, previous_totals),
            "products": _movers(
                _direct(inputs.facts, "product"), _direct(previous_facts, "product")
            ),
            "models": _movers(_direct(inputs.facts, "model"), _direct(previous_facts, "model")),
        },
        levers=levers,
        anomalies=spikes,
        trend_teams=_trend_teams(months, documents),
        unpriced_lines=int(document.get("unpriced_lines", 0)),
        warnings=tuple(document.get("warnings", ())),
        open_disputes=tuple(d for d in inputs.disputes if d["status"] == "open"),
        as_of=inputs.as_of,
    )
