"""Dashboard state (Qt-free): the month's invoiced total explained, its change, allocation,
forecast, cache and batch use, unpriced lines; cost by team over twelve months; budget vs
actual per team; the daily trend; a teams table.

Everything comes from the period's invoice documents (frozen for closed months, computed once
per workspace state for open ones), its budget report and two small cost reports.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from app.domain.periods import months_ending, previous_month
from app.domain.rounding import cents_of
from app.services.budgets import BudgetReport, budget_report
from app.services.invoices import invoice_document, load_policy
from app.services.reporting import CostReport, available_periods, cost_report
from app.services.workspaces import Workspace
from app.ui.presentation.formatting import count, money, month_label, percent, short_month
from app.ui.presentation.monthly import MonthlyPresenter
from app.ui.presentation.table import Column, TableState

HISTORY_MONTHS = 12
CHART_TEAMS = 6
"""Teams drawn one by one in the twelve-month chart; the rest are "Other teams"."""
BUDGET_TEAMS = 10
TEAM_COLOURS = (
    "#3b6ea8",
    "#e08a2c",
    "#4f9a5b",
    "#b5483f",
    "#7d5ba6",
    "#2f9c9c",
    "#c5b03a",
    "#8c6d4f",
)
OTHER_COLOUR = "#9aa5b1"


def team_palette(teams: list[str]) -> dict[str, str]:
    """Each team's colour, the same in every chart and every month: the policy's teams in
    their order take the palette's colours in turn (Unallocated and unknown teams are grey)."""
    return {team: TEAM_COLOURS[i % len(TEAM_COLOURS)] for i, team in enumerate(teams)}


STATUS_COLOURS = {
    "over": "#b03a2e",
    "at risk": "#d9822b",
    "warning": "#d9b32b",
    "on track": "#4f9a5b",
    "no budget": "#9aa5b1",
}


@dataclass(frozen=True)
class Kpi:
    """One figure of the KPI strip."""

    label: str
    value: str
    warning: bool = False
    hint: str = ""


@dataclass
class DailySeries:
    """Cost per day of the month, every day present (zero when no usage)."""

    days: list[int] = field(default_factory=list)
    cents: list[int] = field(default_factory=list)


@dataclass
class TeamSeries:
    """One team's amounts, one per month of :attr:`StackedMonths.months`, in cents."""

    team: str
    colour: str
    cents: list[int]
    grouped: bool = False
    """The teams beyond those drawn one by one, together ("Other teams")."""


@dataclass
class StackedMonths:
    """Invoiced cost by team over the last months (oldest first)."""

    months: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    series: list[TeamSeries] = field(default_factory=list)

    def team_at(self, column: int, dollars: float) -> str | None:
        """The team whose part of month ``column``'s bar reaches ``dollars`` up the axis (an
        on-screen position; the grouped "Other teams" is no one team)."""
        base = 0
        for series in self.series:
            top = base + series.cents[column]
            if series.cents[column] and base <= dollars * 100 < top:
                return None if series.grouped else series.team
            base = top
        return None


@dataclass
class BudgetBar:
    team: str
    actual_cents: int
    budget_cents: int | None
    forecast_cents: int
    status: str
    """``over``, ``at risk``, ``warning``, ``on track`` or ``no budget``."""


@dataclass(frozen=True)
class DashboardData:
    """What one fetch reads."""

    document: dict[str, Any]
    budgets: BudgetReport
    tiers: CostReport
    days: CostReport
    history: list[tuple[str, dict[str, Any]]]
    """(month, invoice document) for the months with usage of the last twelve, oldest first,
    the chosen month last."""
    teams: list[str] = field(default_factory=list)
    """The policy's teams, in order (their colours)."""


def team_status(status: str | None, at_risk: bool, budget: Decimal | None) -> str:
    """The words for a team against its budget: never "on track" while heading over."""
    if budget is None:
        return "no budget"
    if status == "over":
        return "over"
    if at_risk:
        return "at risk"
    if status == "warning":
        return "warning"
    return "on track"


def _percent(value: Decimal) -> str:
    return percent(value, 1)


class DashboardPresenter(MonthlyPresenter):
    """Reads the month through the services; views read the public attributes."""

    def __init__(self, workspace: Workspace) -> None:
        super().__init__(workspace)
        self.kpis: list[Kpi] = []
        self.teams = TableState(
            [
                Column("Team"),
                Column("Invoice", True),
                Column("Budget", True),
                Column("Variance", True),
                Column("Status"),
                Column("Δ", True),
            ],
            empty_text="No invoices this month",
        )
        self.daily = DailySeries()
        self.stacked = StackedMonths()
        self.budget_bars: list[BudgetBar] = []
        self.empty_text = ""
        self.colours: dict[str, str] = {}
        self.change_basis = "invoice"
        """What Δ compares with last month: the ``invoice`` (a complete month) or the
        ``forecast`` (a month still running)."""
        self._apply(None)

    @property
    def title(self) -> str:
        return self.workspace.name

    def _fetch(self, period: str) -> DashboardData:
        with_usage = set(available_periods(self.workspace))
        earlier = [
            m for m in months_ending(previous_month(period), HISTORY_MONTHS - 1) if m in with_usage
        ]
        history = [(m, invoice_document(self.workspace, m)) for m in earlier]
        document = invoice_document(self.workspace, period)
        history.append((period, document))
        return DashboardData(
            document,
            budget_report(self.workspace, period),
            cost_report(self.workspace, period, ["service_tier"]),
            cost_report(self.workspace, period, ["day"]),
            history,
            [team.name for team in load_policy(self.workspace).teams],
        )

    def _apply(self, data: DashboardData | None) -> None:
        if data is None or self.period is None:
            self.kpis = [
                Kpi("Invoiced", "—"),
                Kpi("Change vs last month", "—"),
                Kpi("Allocated", "—"),
                Kpi("Month-end forecast", "—"),
            ]
            self.teams.rows, self.teams.total, self.teams.alerts = [], None, {}
            self.daily, self.stacked, self.budget_bars = DailySeries(), StackedMonths(), []
            self.empty_text = (
                "No usage yet. Import a usage export or a gateway log (File → Import files…, "
                "Ctrl+I) or drop files on the window."
            )
            return
        self.empty_text = ""
        previous = data.history[-2] if len(data.history) > 1 else None
        previous_totals = (
            {i["team"]: Decimal(i["total"]) for i in previous[1]["invoices"]} if previous else {}
        )
        self.kpis = self._kpis(data, previous)
        self._team_rows(data, previous_totals, previous is not None)
        self.change_basis = (
            "invoice" if data.budgets.as_of_day >= data.budgets.month_days else "forecast"
        )
        self.colours = team_palette(data.teams)
        self.stacked = self._stacked(data.history)
        self.daily = self._daily(data.days)

    def _kpis(self, data: DashboardData, previous: tuple[str, dict[str, Any]] | None) -> list[Kpi]:
        document = data.document
        parts = {"usage": Decimal(0), "shared": Decimal(0), "overhead": Decimal(0)}
        adjustment = disputes = Decimal(0)
        moved = False
        for invoice in document["invoices"]:
            for line in invoice["lines"]:
                amount = Decimal(line["amount"])
                if "dispute" in line:
                    disputes += amount
                    moved = True
                elif line["kind"] == "adjustment":
                    adjustment += amount
                elif line["kind"] in parts:
                    parts[line["kind"]] += amount
                else:
                    parts["usage"] += amount  # prior-period usage
        total = Decimal(document["grand_total"])
        unallocated = Decimal(document["unallocated"])
        explained = (
            f"usage {money(parts['usage'])} · shared "
            f"{money(parts['shared'])} · overhead "
            f"{money(parts['overhead'])}"
            + (f" · provider adjustment {money(adjustment)}" if adjustment else "")
            + (f" · accepted disputes {money(disputes)}" if moved else "")
            + f". Unallocated {money(unallocated)} is not invoiced."
        )
        showback = document.get("billing") == "showback"
        kpis = [
            Kpi(
                f"{'Showback' if showback else 'Invoiced'}, {month_label(self.period or '')}",
                money(total),
                hint=(
                    "A showback month: statements for information, nothing is charged or posted. "
                    if showback
                    else ""
                )
                + explained,
            )
        ]
        budgets = data.budgets
        complete = budgets.as_of_day >= budgets.month_days
        team_forecast = sum((t.forecast for t in budgets.teams), Decimal(0))
        if previous is None:
            kpis.append(Kpi("Change vs last month", "—", hint="No earlier month with usage"))
        else:
            # A month still running is compared by its forecast, not by the days it has had.
            before = Decimal(previous[1]["grand_total"])
            now = total if complete else team_forecast
            change = now - before
            sign = "+" if change >= 0 else ""
            kpis.append(
                Kpi(
                    f"{('Shown' if showback else 'Invoiced') if complete else 'Forecast'} vs "
                    f"{month_label(previous[0])}",
                    "—" if before == 0 else f"{sign}{_percent(change / before)}",
                    hint=f"{money(before)} → {money(now)} "
                    f"({sign}{money(change)})"
                    + ("" if complete else ": this month's forecast against last month"),
                )
            )
        direct = Decimal(document["direct_total"])
        allocated = Decimal(1) if direct == 0 else (direct - unallocated) / direct
        kpis.append(
            Kpi(
                "Allocated to teams",
                _percent(allocated),
                warning=allocated < Decimal("0.95"),
                hint=f"{money(unallocated)} of {money(direct)} "
                "direct cost matched no rule or alias",
            )
        )
        forecast = team_forecast + unallocated
        kpis.append(
            Kpi(
                "Month-end forecast",
                money(forecast if not complete else total + unallocated),
                hint=(
                    "A complete month: the forecast is the actual (with unallocated)."
                    if complete
                    else f"Data to day {budgets.as_of_day} of {budgets.month_days}: actual + "
                    "the last 7 days' daily rate × days left (with unallocated)"
                ),
            )
        )
        counts = {
            name: 0
            for name in (
                "input_tokens",
                "cache_read_tokens",
                "cache_write_5m_tokens",
                "cache_write_1h_tokens",
            )
        }
        batch_cost, usage_cost = Decimal(0), Decimal(0)
        for row in data.tiers.rows:
            for name in counts:
                counts[name] += row.counts[name]
            usage_cost += row.cost
            if row.group["service_tier"] == "batch":
                batch_cost += row.cost
        prompt = sum(counts.values())
        kpis.append(
            Kpi(
                "Cache hit rate",
                "—" if prompt == 0 else _percent(Decimal(counts["cache_read_tokens"]) / prompt),
                hint="Cache reads over every prompt token (input, cache reads and writes)",
            )
        )
        kpis.append(
            Kpi(
                "Batch share",
                "—" if usage_cost == 0 else _percent(batch_cost / usage_cost),
                hint="Usage cost priced at batch rates (half price)",
            )
        )
        unpriced = data.tiers.unpriced_lines
        models = ", ".join(data.tiers.unpriced_models)
        kpis.append(
            Kpi(
                "Unpriced lines",
                count(unpriced),
                warning=unpriced > 0,
                hint=(
                    f"No price for {models}: add one with 'prices set MODEL --input USD "
                    f"--output USD' or import a price list; the month cannot close until then"
                    if unpriced
                    else "Every line is priced"
                ),
            )
        )
        return kpis

    def _team_rows(
        self, data: DashboardData, previous: dict[str, Decimal], has_previous: bool
    ) -> None:
        totals = {i["team"]: Decimal(i["total"]) for i in data.document["invoices"]}
        budgets = {t.team: t for t in data.budgets.teams}
        teams = sorted(set(totals) | set(budgets), key=lambda t: (-totals.get(t, Decimal(0)), t))
        rows, alerts, bars = [], {}, []
        for team in teams:
            total = totals.get(team, Decimal(0))
            found = budgets.get(team)
            budget = found.budget if found else None
            status = team_status(
                found.status if found else None, bool(found and found.at_risk), budget
            )
            if status in ("over", "at risk"):
                alerts[len(rows)] = "over" if status == "over" else "warning"
            change = ""
            if has_previous:
                before = previous.get(team, Decimal(0))
                complete = data.budgets.as_of_day >= data.budgets.month_days
                # A month still running is compared by the team's forecast.
                now = total if complete or found is None else found.forecast
                if before:
                    ratio = _percent((now - before) / before)
                    change = ratio if ratio.startswith("-") else "+" + ratio
                else:
                    change = "new" if now else "—"
            rows.append(
                [
                    team,
                    money(total),
                    "—" if budget is None else money(budget),
                    "—" if budget is None else money(budget - total),
                    status.capitalize(),
                    change,
                ]
            )
            bars.append(
                BudgetBar(
                    team,
                    int(total * 100),
                    None if budget is None else int(budget * 100),
                    int((found.forecast if found else total) * 100),
                    status,
                )
            )
        self.teams.rows, self.teams.alerts = rows, alerts
        grand = sum(totals.values(), Decimal(0))
        self.teams.total = ["Total", money(grand), "", "", "", ""] if rows else None
        self.budget_bars = bars[:BUDGET_TEAMS]

    def _stacked(self, history: list[tuple[str, dict[str, Any]]]) -> StackedMonths:
        per_month = [
            {i["team"]: cents_of(i["total"]) for i in document["invoices"]}
            for _, document in history
        ]
        overall: dict[str, int] = {}
        for totals in per_month:
            for team, cents in totals.items():
                overall[team] = overall.get(team, 0) + cents
        ranked = sorted(overall, key=lambda t: (-overall[t], t))
        shown = ranked[:CHART_TEAMS]
        series = [
            TeamSeries(
                team, self.colours.get(team, OTHER_COLOUR), [m.get(team, 0) for m in per_month]
            )
            for team in shown
        ]
        rest = ranked[CHART_TEAMS:]
        if rest:
            series.append(
                TeamSeries(
                    f"Other teams ({len(rest)})",
                    OTHER_COLOUR,
                    [sum(m.get(team, 0) for team in rest) for m in per_month],
                    grouped=True,
                )
            )
        months = [m for m, _ in history]
        return StackedMonths(months, [short_month(m) for m in months], series)

    def _daily(self, days: CostReport) -> DailySeries:
        assert self.period is not None
        year, month = (int(p) for p in self.period.split("-"))
        per_day = {int(r.group["day"][8:10]): r.cents for r in days.rows}
        length = calendar.monthrange(year, month)[1]
        return DailySeries(
            list(range(1, length + 1)), [per_day.get(d, 0) for d in range(1, length + 1)]
        )
