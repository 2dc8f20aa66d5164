"""``rates``: the monthly rates into the company's own currency — list, set one, import a CSV."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from app.services.exchange_rates import import_rates_csv, list_rates, set_rate
from app.services.workspaces import Workspace


def add_parser(sub: Any, workspace_option: Any) -> None:
    rates = sub.add_parser(
        "rates", help="monthly exchange rates into the company's currency (functional_currency)"
    )
    workspace_option(rates)
    rates.add_argument("--json", action="store_true")
    actions = rates.add_subparsers(dest="rates_command", metavar="ACTION")
    one = actions.add_parser("set", help="set one month's rate, with its source")
    one.add_argument("--period", required=True, metavar="YYYY-MM")
    one.add_argument("--currency", required=True, metavar="EUR")
    one.add_argument("--rate", required=True, help="units of the currency per USD")
    one.add_argument("--source", required=True, help="where the rate was read")
    many = actions.add_parser("import", help="period, currency, rate, source rows (CSV)")
    many.add_argument("file", type=Path)


def run(args: argparse.Namespace, workspace: Workspace) -> str:
    if args.rates_command == "set":
        rate = set_rate(workspace, args.period, args.currency, args.rate, args.source)
        return f"{args.period}: 1 USD = {rate} {args.currency.upper()} ({args.source})"
    if args.rates_command == "import":
        count = import_rates_csv(workspace, args.file)
        return f"{count} rate(s) from {args.file.name}"
    rates = list_rates(workspace)
    if args.json:
        return json.dumps(
            {
                "rates": [
                    {
                        "period": r.period,
                        "currency": r.currency,
                        "rate": r.rate,
                        "source": r.source,
                        "entered_at": r.entered_at,
                    }
                    for r in rates
                ]
            },
            indent=2,
        )
    if not rates:
        return "No exchange rates yet ('rates set' or 'rates import')."
    return "\n".join(f"{r.period}  1 USD = {r.rate} {r.currency}  ({r.source})" for r in rates)
