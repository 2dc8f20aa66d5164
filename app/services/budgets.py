"""Use cases: budget status and forecasts of a month, suggested budgets, budget CSV import."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from app.domain.budgets import BudgetStatus, forecast, status_of, suggest
from app.domain.money import AmountError, parse_decimal
from app.domain.periods import days_in_month, is_month
from app.domain.policy_codec import Budget
from app.services.invoices import invoice_document, load_policy, period_invoices
from app.services.policy import current_document, document_in, record_applied
from app.services.small_tables import TableFileRejected, read_table
from app.workspace.db import Workspace
from app.workspace.periods import closed as closed_periods

BudgetFileRejected = TableFileRejected
"""Kept as the name the CLI and tests use."""


@dataclass(frozen=True)
class BudgetReport:
    period: str
    as_of_day: int
    month_days: int
    teams: list[BudgetStatus]


def _budgets_for(workspace: Workspace, period: str) -> dict[str, Decimal]:
    amounts: dict[str, Decimal] = {}
    for budget in current_document(workspace).budgets:
        if budget.month == period and not budget.product:
            amounts[budget.team] = budget.amount
    return amounts


def budget_report(
    workspace: Workspace, period: str, final_document: dict | None = None
) -> BudgetReport:
    """Every team with a budget or an invoice: actual, forecast, use, status, at risk.

    ``final_document`` is the document a close is about to freeze (no forecast then).
    """
    document = final_document or invoice_document(workspace, period)
    actuals = {i["team"]: Decimal(i["total"]) for i in document["invoices"]}
    budgets = _budgets_for(workspace, period)
    warn = load_policy(workspace).settings.warn_threshold
    month_days = days_in_month(period)
    with workspace.engine.connect() as conn:
        is_closed = final_document is not None or period in closed_periods(conn)
    live = None if is_closed else period_invoices(workspace, period)
    as_of = month_days if live is None or not live.last_day else live.last_day
    teams = []
    for team in list(dict.fromkeys([*actuals, *budgets])):
        actual = Fraction(actuals.get(team, Decimal(0)))
        expected = actual
        if live is not None:
            daily = {d: Fraction(v) for d, v in live.daily_direct.get(team, {}).items()}
            expected = forecast(actual, daily, sum(daily.values(), Fraction(0)), as_of, month_days)
        budget = budgets.get(team)
        used, state = status_of(actual, budget, warn)
        projected = (Decimal(expected.numerator) / Decimal(expected.denominator)).quantize(
            Decimal("0.01")
        )
        teams.append(
            BudgetStatus(
                team,
                budget,
                Decimal(actual.numerator) / Decimal(actual.denominator),
                projected,
                used,
                state,
                budget is not None and projected >= budget,
            )
        )
    return BudgetReport(period, as_of, month_days, teams)


def suggested_budgets(
    workspace: Workspace, basis_month: str, months: list[str], buffer: Decimal = Decimal("0.20")
) -> list[Budget]:
    """Budgets for ``months`` = the basis month's invoice totals × (1 + buffer) (not saved)."""
    document = invoice_document(workspace, basis_month)
    suggested = suggest({i["team"]: Decimal(i["total"]) for i in document["invoices"]}, buffer)
    return [Budget(team, month, amount) for month in months for team, amount in suggested.items()]


def suggest_budgets(
    workspace: Workspace, basis_month: str, months: list[str], buffer: Decimal = Decimal("0.20")
) -> dict[str, Decimal]:
    """Budgets for ``months`` = the basis month's invoice totals × (1 + buffer); applied."""
    budgets = suggested_budgets(workspace, basis_month, months, buffer)
    _replace_budgets(
        workspace, budgets, months, source=f"suggested from {basis_month} + {buffer * 100:f}%"
    )
    return {b.team: b.amount for b in budgets}


def _replace_budgets(
    workspace: Workspace, new: list[Budget], months: list[str], source: str
) -> None:
    """Replace these budgets, keeping the rest of the document as it is when written: read
    and written under one write lock, so that no change made meanwhile (a policy edit from
    another window or machine) is overwritten."""
    with workspace.write() as conn:
        policy_document = document_in(conn)
        keys = {(b.team, b.month, b.product) for b in new}
        kept = [b for b in policy_document.budgets if (b.team, b.month, b.product) not in keys]
        policy_document.budgets = kept + new
        record_applied(conn, policy_document, source)


def read_budget_csv(workspace: Workspace, path: Path) -> list[Budget]:
    """``team, month, amount`` (optional ``product``) rows, all checked; refused with every
    problem (:class:`TableFileRejected`)."""
    problems: list[str] = []
    teams = load_policy(workspace).team_names()
    budgets: list[Budget] = []
    for where, row in read_table(path, ("team", "month", "amount")):
        if row["team"] not in teams:
            problems.append(f"{where}, column 'team': unknown team {row['team']!r}")
        if not is_month(row["month"]):
            problems.append(f"{where}, column 'month': not YYYY-MM: {row['month']!r}")
        try:
            amount = parse_decimal(row["amount"])
            if amount < 0:
                problems.append(f"{where}, column 'amount': must not be negative")
        except AmountError:
            problems.append(f"{where}, column 'amount': not an amount: {row['amount']!r}")
            continue
        budgets.append(Budget(row["team"], row["month"], amount, row.get("product", "")))
    if problems:
        raise TableFileRejected(problems)
    return budgets


def import_budget_csv(workspace: Workspace, path: Path) -> int:
    """``team, month, amount`` (optional ``product``); all rows valid or nothing changes."""
    budgets = read_budget_csv(workspace, path)
    _replace_budgets(
        workspace, budgets, sorted({b.month for b in budgets}), source=f"budgets from {path.name}"
    )
    return len(budgets)
