"""``report --insights``: unit economics, savings estimates and anomalies as JSON or text."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from app.domain.money import format_money, format_money_display
from app.services.insights import Insights

MONEY_FIGURES = {"cost", "cost_per_request", "input_cost", "output_cost"}


def _figure(name: str, value: Decimal | None) -> str | None:
    if value is None:
        return None
    if name in MONEY_FIGURES:
        return format_money(value) if name == "cost" else f"{value.quantize(Decimal('1e-6')):f}"
    return f"{value.quantize(Decimal('1e-4')):f}"


def insights_json(insights: Insights) -> dict[str, Any]:
    return {
        "unit_economics": [
            {
                "team": t.team,
                **{k: _figure(k, v) for k, v in t.figures.items()},
                "change": {
                    k: None if v is None else f"{v.quantize(Decimal('1e-4')):f}"
                    for k, v in t.change.items()
                },
                "model_mix": {
                    m: f"{s.quantize(Decimal('1e-4')):f}" for m, s in t.model_mix.items()
                },
                "cost_per_unit": {
                    m: f"{c.quantize(Decimal('1e-4')):f}" for m, c in t.unit_costs.items()
                },
            }
            for t in insights.teams
        ],
        "products": {
            name: {k: _figure(k, v) for k, v in figures.items()}
            for name, figures in insights.products.items()
        },
        "savings_estimates": [
            {
                "team": s.team,
                "lever": s.lever,
                "amount": format_money(s.amount),
                "assumption": s.assumption,
            }
            for s in insights.savings
        ],
        "anomalies": [
            {
                "team": a.subject,
                "day": a.day,
                "cost": format_money(a.cost),
                "baseline": format_money(a.baseline),
                "threshold": format_money(a.threshold),
                "driver": a.driver,
                "driver_cost": format_money(a.driver_cost),
            }
            for a in insights.anomalies
        ],
    }


def insights_text(insights: Insights) -> str:
    out = ["", "Unit economics (per team)"]
    for t in insights.teams:
        f = t.figures
        per_request = "—" if f["cost_per_request"] is None else f"${f['cost_per_request']:.4f}"
        hit = "—" if f["cache_hit_rate"] is None else f"{f['cache_hit_rate'] * 100:.0f}%"
        batch = "—" if f["batch_share"] is None else f"{f['batch_share'] * 100:.0f}%"
        out.append(
            f"  {t.team:<20} {format_money_display(f['cost'] or Decimal(0)):>12}  "
            f"per request {per_request:>9}  cache hit {hit:>4}  batch {batch:>4}"
        )
    total = sum((t.figures["cost"] or Decimal(0) for t in insights.teams), Decimal(0))
    out.append(f"  {'Total':<20} {format_money_display(total):>12}")
    out += ["", "Savings estimates (estimates; assumptions shown)"]
    for s in insights.savings:
        out.append(
            f"  {s.team:<20} {s.lever:<8} {format_money_display(s.amount):>12}  {s.assumption}"
        )
    out += ["", "Anomalies (day cost above median + 5·MAD of the 14 days before)"]
    for a in insights.anomalies or []:
        out.append(
            f"  {a.day} {a.subject:<20} {format_money_display(a.cost):>12} "
            f"(baseline {format_money_display(a.baseline)}), driver {a.driver}"
        )
    if not insights.anomalies:
        out.append("  none")
    return "\n".join(out)
