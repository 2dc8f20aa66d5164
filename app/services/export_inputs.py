"""What the exports of a period are made of beyond its invoice document — usage facts, budgets
and their status, unit economics, the workspace's name — live for an open period, frozen at
close for a closed one, so every export of a closed month is byte-identical whatever changes
later (prices, policy, budgets, imports, the workspace's name).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from app.domain.unit_economics import UsageFact
from app.services.budgets import budget_report
from app.services.disputes import disputes_of_month
from app.services.insights import month_insights, team_figures, usage_facts
from app.workspace import periods
from app.workspace.db import Workspace

SNAPSHOT_VERSION = 1


@dataclass(frozen=True)
class ExportInputs:
    workspace_name: str
    facts: list[UsageFact]
    """The usage the period's own invoices bill, priced and attributed."""
    budgets: dict[str, Decimal]
    statuses: dict[str, str]
    unit_economics: dict[str, dict[str, Decimal | None]]
    as_of: datetime | None = None
    """When the period was closed (files carry it as their date); ``None`` for a draft."""
    team_details: dict[str, tuple[str, str]] | None = None
    """Each team's department and owner (policy), frozen at close; ``None`` for a month
    closed before they were kept."""
    accounts: tuple[str, str] | None = None
    """The GL expense and clearing accounts of the journal (policy settings), frozen at close;
    ``None`` for a month closed before they existed (its journal debits the cost centers)."""
    disputes: tuple[dict[str, Any], ...] = ()
    """Disputes open of this month or earlier ones, and those whose amounts it moves
    (``disputes --json`` entries) — as at close for a closed month, so its files never
    change."""
    levers: tuple[dict[str, str], ...] | None = None
    """The month's savings levers (team, lever, amount, assumption), frozen at close for the
    monthly report; ``None`` for a draft or a month closed before they were kept."""
    anomalies: tuple[dict[str, str], ...] | None = None
    """The month's anomalies (subject, day, cost, baseline, driver), as :attr:`levers`."""


def live_export_inputs(
    workspace: Workspace,
    period: str,
    document: dict[str, Any] | None = None,
    *,
    with_insights: bool = False,
) -> ExportInputs:
    """Computed now; ``document`` (the final one, while closing) fixes budget statuses;
    ``with_insights`` (at close) adds the savings levers and anomalies the monthly report
    shows."""
    facts, _, _ = usage_facts(workspace, period, billed_only=True)
    budgets = budget_report(workspace, period, document)
    return ExportInputs(
        workspace_name=workspace.name,
        facts=facts,
        budgets={t.team: t.budget for t in budgets.teams if t.budget is not None},
        statuses={
            t.team: (t.status or "") + (" (at risk)" if t.at_risk and t.status != "over" else "")
            for t in budgets.teams
        },
        unit_economics=team_figures(workspace, period),
        team_details=team_details(workspace),
        accounts=_accounts(workspace),
        disputes=tuple(d.as_json() for d in disputes_of_month(workspace, period)),
        **(_insights(workspace, period) if with_insights else {}),
    )


def _insights(workspace: Workspace, period: str) -> dict[str, Any]:
    found = month_insights(workspace, period)
    return {
        "levers": tuple(
            {"team": s.team, "lever": s.lever, "amount": str(s.amount), "assumption": s.assumption}
            for s in found.savings
        ),
        "anomalies": tuple(
            {
                "subject": a.subject,
                "day": a.day,
                "cost": str(a.cost),
                "baseline": str(a.baseline),
                "driver": a.driver,
            }
            for a in found.anomalies
        ),
    }


def today() -> date:
    """Today (UTC), or the pinned day of ``CHARGEBACK_DESK_TODAY``: a draft's issue date."""
    from importers.fields import today as pinned_today

    return pinned_today()


def team_details(workspace: Workspace) -> dict[str, tuple[str, str]]:
    """Department and owner of every team of the policy in force."""
    from app.services.invoices import load_policy

    return {team.name: (team.department, team.owner) for team in load_policy(workspace).teams}


def _accounts(workspace: Workspace) -> tuple[str, str]:
    from app.services.invoices import load_policy

    settings = load_policy(workspace).settings
    return settings.expense_account, settings.clearing_account


def _text(value: object) -> object:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, tuple):
        return [_text(v) for v in value]
    return value


def encode(inputs: ExportInputs) -> str:
    """JSON text of the inputs (money as exact decimal strings)."""
    return json.dumps(
        {
            "version": SNAPSHOT_VERSION,
            "workspace_name": inputs.workspace_name,
            "facts": [[_text(v) for v in fact] for fact in inputs.facts],
            "budgets": {team: str(amount) for team, amount in inputs.budgets.items()},
            "statuses": inputs.statuses,
            "unit_economics": {
                team: {k: None if v is None else str(v) for k, v in figures.items()}
                for team, figures in inputs.unit_economics.items()
            },
            **({} if inputs.accounts is None else {"accounts": list(inputs.accounts)}),
            **({"disputes": list(inputs.disputes)} if inputs.disputes else {}),
            **({} if inputs.levers is None else {"levers": list(inputs.levers)}),
            **({} if inputs.anomalies is None else {"anomalies": list(inputs.anomalies)}),
            **(
                {}
                if inputs.team_details is None
                else {"team_details": {t: list(d) for t, d in inputs.team_details.items()}}
            ),
        },
        sort_keys=True,
    )


def _fact(values: list[Any]) -> UsageFact:
    *head, cost, by_type = values
    return UsageFact(
        *head, Decimal(cost), tuple((name, Decimal(amount)) for name, amount in by_type)
    )


def decode(text: str, as_of: datetime | None) -> ExportInputs:
    data = json.loads(text)
    return ExportInputs(
        workspace_name=data["workspace_name"],
        facts=[_fact(values) for values in data["facts"]],
        budgets={team: Decimal(amount) for team, amount in data["budgets"].items()},
        statuses=data["statuses"],
        unit_economics={
            team: {k: None if v is None else Decimal(v) for k, v in figures.items()}
            for team, figures in data["unit_economics"].items()
        },
        as_of=as_of,
        accounts=None if "accounts" not in data else tuple(data["accounts"]),  # type: ignore[arg-type]
        disputes=tuple(data.get("disputes", ())),
        levers=None if "levers" not in data else tuple(data["levers"]),
        anomalies=None if "anomalies" not in data else tuple(data["anomalies"]),
        team_details=(
            None
            if "team_details" not in data
            else {t: (d[0], d[1]) for t, d in data["team_details"].items()}
        ),
    )


def export_inputs(workspace: Workspace, period: str) -> ExportInputs:
    """Frozen inputs of a closed period, live ones of an open period."""
    with workspace.engine.connect() as conn:
        stored = periods.export_snapshot(conn, period)
    if stored is None:
        return live_export_inputs(workspace, period)
    closed_at, snapshot = stored
    as_of = datetime.fromisoformat(closed_at)
    if snapshot is None:  # closed before snapshots existed: no disputes, as then
        return replace(live_export_inputs(workspace, period), as_of=as_of, disputes=())
    return decode(snapshot, as_of)


@dataclass(frozen=True)
class InvoiceBudget:
    """What an invoice says about its team's budget."""

    budget: Decimal
    used: Decimal | None
    """Invoice total over budget (None for a zero budget)."""
    status: str
    at_risk_forecast: Decimal | None = None
    """The month-end forecast, for a draft month heading over budget."""


def invoice_budgets(
    workspace: Workspace, document: dict[str, Any], inputs: ExportInputs | None
) -> dict[str, InvoiceBudget]:
    """Per team with a budget: as frozen at close for a final document (``inputs`` are the
    period's export inputs), live for a draft (``inputs`` are not needed)."""
    if document["status"] == "final":
        if inputs is None:
            raise ValueError("a final document's budgets come from its export inputs")
        totals = {i["team"]: Decimal(i["total"]) for i in document["invoices"]}
        return {
            team: InvoiceBudget(
                budget,
                totals.get(team, Decimal(0)) / budget if budget else None,
                inputs.statuses.get(team, ""),
            )
            for team, budget in inputs.budgets.items()
        }
    return {
        team.team: InvoiceBudget(
            team.budget,
            team.used,
            team.status or "",
            team.forecast if team.at_risk and team.status != "over" else None,
        )
        for team in budget_report(workspace, document["period"]).teams
        if team.budget is not None
    }
