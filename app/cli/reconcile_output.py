"""``reconcile`` output: JSON (money as two-decimal strings, exact values alongside) and text."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from app.domain.money import format_money, format_money_display
from app.services.reconciliation import STATEMENT_SOURCES, Reconciliation


def _money(value: Decimal | None) -> str | None:
    return None if value is None else format_money(value)


def reconcile_json(result: Reconciliation) -> dict[str, Any]:
    rows = []
    for row in result.rows:
        billed = row.billed()
        rows.append(
            {
                "model": row.model,
                "token_type": row.token_type,
                "usage": _money(row.usage),
                "usage_list": _money(row.usage_list),
                **{source: _money(row.statements.get(source)) for source in STATEMENT_SOURCES},
                "variance": None if billed is None else _money(billed - row.usage),
            }
        )
    delta = None if result.provider_total is None else result.provider_total - result.usage_total
    return {
        "period": result.period,
        "currency": "USD",
        "usage_total": _money(result.usage_total),
        "usage_total_exact": f"{result.usage_total:f}",
        "usage_list_total": _money(result.usage_list_total),
        "usage_discount": _money(result.usage_list_total - result.usage_total),
        "statement_totals": {s: _money(v) for s, v in result.statement_totals.items()},
        "statement_list_totals": {s: _money(v) for s, v in result.statement_list_totals.items()},
        "statement_sources": [
            {
                "source": use.source,
                "days_used": list(use.days),
                "days_set_aside": list(use.days_set_aside),
            }
            for use in result.sources
        ],
        "provider_total": _money(result.provider_total),
        "provider_minus_usage": _money(delta),
        "rows": rows,
        "gaps": result.gaps,
        "unpriced_lines": result.unpriced_lines,
    }


def reconcile_text(result: Reconciliation) -> str:
    def money(value: Decimal | None) -> str:
        return "—" if value is None else format_money_display(value)

    out = [
        f"Reconciliation {result.period}",
        "",
        f"{'model':<22} {'token type':<42} {'usage':>12} {'billed':>12} {'variance':>10}",
    ]
    for row in result.rows:
        billed = row.billed()
        variance = None if billed is None else billed - row.usage
        out.append(
            f"{row.model or '(all)':<22} {row.token_type:<42} {money(row.usage):>12} "
            f"{money(billed):>12} {money(variance):>10}"
        )
    out += ["", f"Usage re-priced: {money(result.usage_total)}"]
    discount = result.usage_list_total - result.usage_total
    if discount:
        out.append(
            f"  at list price {money(result.usage_list_total)}; negotiated discount "
            f"{money(discount)}"
        )
    for source, total in result.statement_totals.items():
        out.append(f"Statement {source}: {money(total)}")
        listed = result.statement_list_totals.get(source)
        if listed is not None and listed != total:
            out.append(
                f"  at list price {money(listed)}; negotiated discount {money(listed - total)}"
            )
    for use in result.sources:
        line = f"  {use.name}: used on {len(use.days)} day(s)"
        if use.days:
            line += f" ({use.days[0]} – {use.days[-1]})"
        if use.days_set_aside:
            line += (
                f"; set aside on {len(use.days_set_aside)} day(s) another statement covers "
                f"(never counted twice)"
            )
        out.append(line)
    out.append(f"Provider invoice: {money(result.provider_total)}")
    if result.provider_total is not None:
        out.append(
            f"Provider minus usage (true-up): {money(result.provider_total - result.usage_total)}"
        )
    if result.gaps:
        out += ["", "Known gaps:"] + [f"  - {gap}" for gap in result.gaps]
    return "\n".join(out)
