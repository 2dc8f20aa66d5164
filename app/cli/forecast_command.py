"""``forecast``: twelve months of Anthropic spend per team and model, as-is and optimised, and
the commitment to negotiate against per quarter, with its assumptions."""

from __future__ import annotations

import argparse
import json
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from app.domain.savings import LEVERS

if TYPE_CHECKING:  # the services load when the command runs, not with the parser
    from app.services.workspaces import Workspace


def add_parser(sub: Any, workspace_option: Any) -> None:
    forecast = sub.add_parser(
        "forecast", help="12-month spend forecast (as-is and optimised) and the commitment"
    )
    workspace_option(forecast)
    forecast.add_argument("--months", type=int, default=12, help="months ahead (default 12)")
    forecast.add_argument(
        "--history", type=int, default=6, help="complete months the trend is fitted to (6)"
    )
    forecast.add_argument(
        "--adopt",
        action="append",
        default=[],
        metavar="LEVER=SHARE",
        help=f"adoption of a savings lever ({', '.join(LEVERS)}), 0–1; default 0.5 each",
    )
    forecast.add_argument("--json", action="store_true")


def _adoption(pairs: list[str]) -> dict[str, Decimal]:
    from app.services.forecast import ForecastError

    found = {}
    for pair in pairs:
        lever, _, share = pair.partition("=")
        try:
            found[lever.strip()] = Decimal(share.strip().rstrip("%")) / (
                100 if share.strip().endswith("%") else 1
            )
        except (InvalidOperation, ArithmeticError):
            raise ForecastError(
                f"--adopt {pair!r}: write LEVER=SHARE, e.g. routing=0.5 or routing=50%"
            ) from None
    return found


def _money(amount: Decimal) -> str:
    return f"{amount:,.2f}"


def run(args: argparse.Namespace, workspace: Workspace) -> str:
    from app.services.forecast import commitment_forecast

    forecast = commitment_forecast(workspace, args.months, args.history, _adoption(args.adopt))
    if args.json:
        return json.dumps(forecast.as_json(), indent=2)
    lines = [
        f"Forecast {forecast.months[0]} to {forecast.months[-1]} (USD), from "
        f"{forecast.basis_months[0]} to {forecast.basis_months[-1]}",
        "",
        f"{'Quarter':<9} {'As-is':>12} {'range':>25} {'Optimised':>12} {'Commitment':>12}",
    ]
    for q in forecast.quarters:
        span = f"{_money(q.as_is.low)}–{_money(q.as_is.high)}"
        partial = "*" if len(q.months) < 3 else " "
        lines.append(
            f"{q.quarter}{partial:<2}{_money(q.as_is.point):>12} {span:>25} "
            f"{_money(q.optimised.point):>12} {_money(q.commitment):>12}"
        )
    lines += [f"{'Total':<9} {'':>12} {'':>25} {'':>12} {_money(forecast.commitment):>12}"]
    if any(len(q.months) < 3 for q in forecast.quarters):
        lines.append("* part of the quarter only (the months forecast)")
    lines.append("")
    lines += [f"By team ({len(forecast.months)} months): as-is → optimised"]
    lines += [
        f"  {team:<20} {_money(as_is):>12} → {_money(optimised):>12}"
        for team, _, as_is, optimised in forecast.team_totals()
    ]
    lines += ["", "Assumptions:"] + [f"  - {text}" for text in forecast.assumptions]
    return "\n".join(lines)
