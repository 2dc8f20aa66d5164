"""The ``chargeback-desk`` command line (CONTRACT.md): a thin face over the services.

Exit status: 0 success; 2 bad input or usage (one clear message per problem on stderr, nothing
changed); 1 unexpected error (logged, with a short message).
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from app import __version__
from app.cli.words import counted
from app.domain.price_book import OPTIONAL_RATE_FIELDS

EXIT_OK, EXIT_ERROR, EXIT_BAD_INPUT = 0, 1, 2
from app.ui.presentation.navigation import PAGE_NAMES as PAGES  # noqa: E402  (no Qt)

"""Pages the window has so far; CONTRACT.md's others arrive with their features."""

log = logging.getLogger(__name__)


class UsageProblem(Exception):
    """Bad input from the user: printed on stderr, exit status 2."""


def _location(text: str) -> Path | str:
    """A workspace as given on the command line: a server URL as it is, else a file path."""
    from app.workspace.locations import is_server_location

    return text.strip() if is_server_location(text) else Path(text)


def _with_password(action):  # type: ignore[no-untyped-def]
    """Run ``action(password)``; when the server asks for a password none of libpq's usual
    places gave and a terminal is there to ask, ask once and run it again."""
    from app.workspace.server_workspace import PasswordNeeded

    try:
        return action(None)
    except PasswordNeeded:
        if not sys.stdin.isatty():
            raise
        import getpass

        return action(getpass.getpass("Password for the workspace's database: "))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="chargeback-desk",
        description="Showback and chargeback of Claude (Anthropic API) cost per team.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--workspace",
        "-w",
        type=_location,
        help="workspace: a file (.cbdesk) or a postgresql:// URL",
    )
    parser.add_argument(
        "--self-test", action="store_true", help="exercise every lazily loaded path; exit 0 or 1"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def workspace_option(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--workspace",
            "-w",
            type=_location,
            default=argparse.SUPPRESS,
            help="workspace: a file (.cbdesk) or a postgresql:// URL",
        )

    gui = sub.add_parser("gui", help="open the window")
    workspace_option(gui)
    gui.add_argument("--demo", action="store_true", help="open the demo workspace")
    gui.add_argument("--page", choices=PAGES, default="dashboard")
    gui.add_argument(
        "--screenshot", type=Path, metavar="PNG", help="render the page to a PNG and exit"
    )

    init = sub.add_parser(
        "init", help="create a workspace: a file, or in an empty database (postgresql:// URL)"
    )
    init.add_argument("path", type=_location, metavar="W")
    init.add_argument("--demo", action="store_true", help="fill it with the demo data")

    imp = sub.add_parser("import", help="import usage or cost files")
    workspace_option(imp)
    imp.add_argument("files", type=Path, nargs="+", metavar="FILE")
    imp.add_argument(
        "--format", dest="format_id", metavar="ID", help="force a format (see 'formats')"
    )
    imp.add_argument(
        "--skip-bad-rows", action="store_true", help="import the good rows of a file with bad rows"
    )
    imp.add_argument(
        "--profile",
        metavar="NAME",
        help="read CSV files with this saved mapping profile (the window's import wizard saves "
        "them; a file with a saved profile's header uses it without this option)",
    )
    imp.add_argument(
        "--focus-cost",
        choices=("billed", "effective"),
        default="billed",
        help="FOCUS files: keep BilledCost (default) or EffectiveCost",
    )
    imp.add_argument(
        "--focus-rows",
        choices=("claude", "all"),
        default="claude",
        help="FOCUS files: keep only Anthropic/Claude rows (default) or every provider's rows",
    )
    imp.add_argument("--json", action="store_true", help="print one JSON document")

    sub.add_parser("formats", help="list the import formats")
    from app.cli import imports_command

    imports_command.add_parser(sub, workspace_option)

    report = sub.add_parser("report", help="cost of a period, grouped")
    workspace_option(report)
    report.add_argument("--period", required=True, metavar="YYYY-MM")
    report.add_argument(
        "--by",
        default="model",
        help="comma-separated: model, day, api_key, workspace, user, service_tier, tag.<name>, …",
    )
    report.add_argument(
        "--insights",
        action="store_true",
        help="add unit economics, savings estimates and anomalies",
    )
    report.add_argument(
        "--routing-share",
        default="0.5",
        help="savings: share of Opus tokens routed to Sonnet (default 0.5)",
    )
    report.add_argument(
        "--target-hit-rate", default="0.5", help="savings: cache hit rate to reach (default 0.5)"
    )
    report.add_argument("--json", action="store_true")

    metrics = sub.add_parser(
        "metrics", help="import business metrics (period, team, metric, value)"
    )
    workspace_option(metrics)
    metrics.add_argument("file", type=Path)
    config = sub.add_parser("config", help="apply or export the policy file (TOML)")
    workspace_option(config)
    config_sub = config.add_subparsers(dest="config_command", metavar="ACTION", required=True)
    config_apply = config_sub.add_parser("apply", help="validate a policy file and apply it whole")
    config_apply.add_argument("file", type=Path, metavar="POLICY.toml")
    config_apply.add_argument(
        "--allow-empty",
        action="store_true",
        help="apply a policy without teams (removes every team, rule, pool and budget)",
    )
    config_export = config_sub.add_parser("export", help="write the policy in force to a file")
    config_export.add_argument("file", type=Path, metavar="POLICY.toml")

    invoices = sub.add_parser("invoices", help="the invoices of a period")
    workspace_option(invoices)
    invoices.add_argument("--period", required=True, metavar="YYYY-MM")
    invoices.add_argument("--json", action="store_true")

    close = sub.add_parser("close", help="close a period: number and freeze its invoices")
    workspace_option(close)
    close.add_argument("--period", required=True, metavar="YYYY-MM")
    close.add_argument(
        "--empty", action="store_true", help="close a month that has no usage, on purpose"
    )
    reopen = sub.add_parser("reopen", help="reopen a closed period (with a reason)")
    workspace_option(reopen)
    reopen.add_argument("--period", required=True, metavar="YYYY-MM")
    reopen.add_argument("--reason", required=True)

    budgets = sub.add_parser("budgets", help="budget vs actual and forecast; suggest or import")
    workspace_option(budgets)
    budgets.add_argument("--period", metavar="YYYY-MM", help="the month to show")
    budgets.add_argument("--json", action="store_true")
    budget_sub = budgets.add_subparsers(dest="budget_command", metavar="ACTION")
    budget_suggest = budget_sub.add_parser("suggest", help="a month's actuals + a buffer")
    budget_suggest.add_argument("--from", dest="basis", required=True, metavar="YYYY-MM")
    budget_suggest.add_argument("--for", dest="months", required=True, metavar="YYYY-MM[,YYYY-MM…]")
    budget_suggest.add_argument("--buffer", default="0.20", help="default 0.20 (20 %%)")
    budget_import = budget_sub.add_parser("import", help="CSV: team, month, amount")
    budget_import.add_argument("file", type=Path)

    export = sub.add_parser("export", help="write the finance pack of a period")
    workspace_option(export)
    export.add_argument("kind", choices=("xlsx", "pdf", "csv", "focus", "journal", "report"))
    export.add_argument("--period", required=True, metavar="YYYY-MM")
    export.add_argument("--out", required=True, type=Path, metavar="PATH")

    reconcile = sub.add_parser("reconcile", help="usage vs cost report vs provider invoice")
    workspace_option(reconcile)
    reconcile.add_argument("--period", required=True, metavar="YYYY-MM")
    reconcile.add_argument("--json", action="store_true")

    prices = sub.add_parser("prices", help="show the price book, or add an entry")
    workspace_option(prices)
    prices.add_argument("--json", action="store_true")
    price_sub = prices.add_subparsers(dest="price_command", metavar="ACTION")
    price_set = price_sub.add_parser("set", help="add or change a price entry (USD per MTok)")
    price_set.add_argument("model", help="model id or display name (Claude Opus 4.8)")
    price_set.add_argument("--input", required=True)
    price_set.add_argument("--output", required=True)
    price_set.add_argument(
        "--from",
        dest="effective_from",
        default="2000-01-01",
        metavar="YYYY-MM-DD",
        help="effective from (default: always)",
    )
    for name in OPTIONAL_RATE_FIELDS:
        price_set.add_argument(f"--{name.replace('_', '-')}")
    price_set.add_argument("--note", default="")
    price_discount = price_sub.add_parser(
        "discount", help="add or change a negotiated discount on token rates (percent)"
    )
    price_discount.add_argument("percent", help="e.g. 12.5 (0 ends a discount)")
    price_discount.add_argument(
        "--model", default="", help="one model (default: every model without its own)"
    )
    price_discount.add_argument(
        "--from",
        dest="effective_from",
        default="2000-01-01",
        metavar="YYYY-MM-DD",
        help="effective from (default: always)",
    )
    price_discount.add_argument("--note", default="")
    price_import = price_sub.add_parser(
        "import", help="add or replace the entries of a price list (.toml or .csv)"
    )
    price_import.add_argument("file", type=Path)
    price_export = price_sub.add_parser(
        "export", help="write the price book in force as a price list (.toml or .csv)"
    )
    price_export.add_argument("--out", required=True, type=Path, metavar="PATH")
    from app.cli import (
        disputes_command,
        forecast_command,
        governance_command,
        rates_command,
        workspace_command,
    )

    workspace_command.add_parser(sub, _location)
    rates_command.add_parser(sub, workspace_option)
    disputes_command.add_parser(sub, workspace_option)
    forecast_command.add_parser(sub, workspace_option)
    governance_command.add_parsers(sub, workspace_option)
    return parser


def _open(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from app.services.workspaces import WorkspaceError, open_workspace

    if not getattr(args, "workspace", None):
        raise UsageProblem("no workspace: pass --workspace FILE (create one with 'init')")
    try:
        workspace = _with_password(
            lambda password: open_workspace(args.workspace, password=password)
        )
    except WorkspaceError as exc:
        raise UsageProblem(str(exc)) from None
    workspace.on_wait = _wait_notice(workspace.label)
    return workspace


def _wait_notice(name: str):  # type: ignore[no-untyped-def]
    """Tell the user once that this command waits for another process writing ``name``."""
    told: list[bool] = []

    def notice(_elapsed: float) -> None:
        if not told:
            told.append(True)
            print(
                f"chargeback-desk: Waiting for another Chargeback Desk process to finish "
                f"writing to {name}… (Ctrl+C to give up; nothing is changed)",
                file=sys.stderr,
                flush=True,
            )

    return notice


@contextmanager
def _opened(args: argparse.Namespace, *errors: type[Exception]) -> Iterator[Any]:
    """The workspace of ``--workspace`` for one command; ``errors`` become exit status 2."""
    workspace = _open(args)
    try:
        yield workspace
    except errors as exc:
        raise UsageProblem(str(exc)) from None
    finally:
        workspace.dispose()


def _cmd_init(args: argparse.Namespace) -> int:
    from app.services.workspaces import WorkspaceError, create_workspace

    try:
        if args.demo:
            from app.services.demo import build_demo_workspace

            workspace = _with_password(
                lambda password: build_demo_workspace(args.path, password=password)
            )
        else:
            workspace = _with_password(
                lambda password: create_workspace(args.path, password=password)
            )
    except WorkspaceError as exc:
        raise UsageProblem(str(exc)) from None
    print(f"Created workspace {workspace.location}" + (" with the demo data" if args.demo else ""))
    workspace.dispose()
    return EXIT_OK


def _cmd_import(args: argparse.Namespace) -> int:
    from app.cli.output import import_json, import_text
    from app.services.importing import REJECTED, import_file

    workspace = _open(args)
    reports = []
    options = {"focus_cost": args.focus_cost, "focus_rows": args.focus_rows}
    try:
        for path in args.files:
            report = import_file(
                workspace,
                path,
                format_id=args.format_id,
                skip_bad_rows=args.skip_bad_rows,
                options=options,
                profile=args.profile,
            )
            reports.append(report)
            for problem in report.problems() if report.status == REJECTED else []:
                print(problem, file=sys.stderr)
            if report.status != REJECTED and report.errors:
                for problem in report.problems():
                    print(f"skipped: {problem}", file=sys.stderr)
            if not args.json:
                print(import_text(report))
    finally:
        workspace.dispose()
    if args.json:
        print(json.dumps({"imports": [import_json(r) for r in reports]}, indent=2))
    return EXIT_BAD_INPUT if any(r.status == REJECTED for r in reports) else EXIT_OK


def _cmd_imports(args: argparse.Namespace) -> int:
    from app.cli import imports_command
    from app.services.import_history import RemovalRefused

    with _opened(args, RemovalRefused) as workspace:
        print(imports_command.run(args, workspace))
    return EXIT_OK


def _cmd_formats(_args: argparse.Namespace) -> int:
    from app.services.formats import list_formats

    formats = list_formats()
    width = max(len(f.id) for f in formats)
    for info in formats:
        print(f"{info.id.ljust(width)}  {info.kind.ljust(16)}  {info.label}")
    return EXIT_OK


def _cmd_report(args: argparse.Namespace) -> int:
    from app.cli.output import report_json, report_text
    from app.services.reporting import ReportError, cost_report

    with _opened(args, ReportError) as workspace:
        by = [part.strip() for part in args.by.split(",") if part.strip()]
        report = cost_report(workspace, args.period, by)
    document = report_json(report)
    text = report_text(report)
    if args.insights:
        from app.cli.insight_output import insights_json, insights_text
        from app.domain.money import AmountError, parse_decimal
        from app.services.insights import month_insights

        try:
            share, target = parse_decimal(args.routing_share), parse_decimal(args.target_hit_rate)
        except AmountError as exc:
            raise UsageProblem(str(exc)) from None
        workspace = _open(args)
        try:
            insights = month_insights(workspace, args.period, share, target)
        finally:
            workspace.dispose()
        document["insights"] = insights_json(insights)
        text += "\n" + insights_text(insights)
    print(json.dumps(document, indent=2) if args.json else text)
    return EXIT_OK


def _cmd_metrics(args: argparse.Namespace) -> int:
    from app.services.budgets import BudgetFileRejected
    from app.services.metrics import import_metrics_csv

    workspace = _open(args)
    try:
        count = import_metrics_csv(workspace, args.file)
    except BudgetFileRejected as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        raise UsageProblem(str(exc)) from None
    finally:
        workspace.dispose()
    print(f"Imported {counted(count, 'business metric value')} from {args.file.name}")
    return EXIT_OK


def _cmd_prices(args: argparse.Namespace) -> int:
    from app.cli.output import prices_json, prices_text
    from app.services.price_list_files import PriceListError
    from app.services.prices import (
        PriceEntryError,
        export_price_list,
        import_price_list,
        price_book_entries,
        set_discount,
        set_price,
    )

    with _opened(args) as workspace:
        if args.price_command in ("import", "export"):
            try:
                if args.price_command == "import":
                    done = import_price_list(workspace, args.file)
                    print(
                        f"{args.file.name}: {counted(done.added, 'price entry', 'price entries')} "
                        f"added, {done.replaced:,} replaced"
                        + (
                            f", {counted(done.discounts, 'contract discount')}"
                            if done.discounts
                            else ""
                        )
                        + "; closed months keep their invoices"
                    )
                else:
                    count = export_price_list(workspace, args.out)
                    print(f"{counted(count, 'price entry', 'price entries')} written to {args.out}")
            except PriceListError as exc:
                raise UsageProblem(str(exc)) from None
            return EXIT_OK
        if args.price_command == "discount":
            try:
                discount = set_discount(
                    workspace,
                    {
                        "model": args.model,
                        "effective_from": args.effective_from,
                        "discount_percent": args.percent,
                    },
                    note=args.note,
                )
            except PriceEntryError as exc:
                raise UsageProblem(str(exc)) from None
            print(
                f"Discount of {discount.percent:f}% on {discount.model or 'every model'} from "
                f"{discount.effective_from}; closed months keep their invoices"
            )
            return EXIT_OK
        if args.price_command == "set":
            values = {
                "model": args.model,
                "input": args.input,
                "output": args.output,
                "effective_from": args.effective_from,
            }
            for name in OPTIONAL_RATE_FIELDS:
                if getattr(args, name) is not None:
                    values[name] = getattr(args, name)
            try:
                entry = set_price(workspace, values, note=args.note)
            except PriceEntryError as exc:
                raise UsageProblem(str(exc)) from None
            print(
                f"Price of {entry.model} from {entry.effective_from}: input ${entry.input}, "
                f"output ${entry.output} per MTok"
            )
            return EXIT_OK
        view = price_book_entries(workspace)
    print(json.dumps(prices_json(view), indent=2) if args.json else prices_text(view))
    return EXIT_OK


def _cmd_config(args: argparse.Namespace) -> int:
    from app.services.policy import PolicyRejected, apply_policy_file, export_policy_file

    with _opened(args) as workspace:
        if args.config_command == "apply":
            try:
                result = apply_policy_file(workspace, args.file, allow_empty=args.allow_empty)
            except PolicyRejected as exc:
                for problem in exc.problems:
                    print(problem, file=sys.stderr)
                raise UsageProblem(str(exc)) from None
            print(
                f"Applied {args.file.name}: {counted(result.teams, 'team')}, "
                f"{counted(result.rules, 'rule')}, {counted(result.pools, 'pool')}, "
                f"{counted(result.budgets, 'budget')}, {counted(result.prices, 'price')}"
            )
        else:
            export_policy_file(workspace, args.file)
            print(f"Wrote {args.file}")
    return EXIT_OK


def _cmd_invoices(args: argparse.Namespace) -> int:
    from app.cli.invoice_output import invoices_text
    from app.services.invoices import invoice_document
    from app.services.reporting import ReportError

    with _opened(args, ReportError) as workspace:
        document = invoice_document(workspace, args.period)
    print(json.dumps(document, indent=2) if args.json else invoices_text(document))
    return EXIT_OK


def _cmd_close(args: argparse.Namespace) -> int:
    from app.services.closing import PeriodError, close_period, earlier_open_months

    with _opened(args, PeriodError) as workspace:
        earlier = earlier_open_months(workspace, args.period)
        document = close_period(workspace, args.period, allow_empty=args.empty)
    if earlier:
        print(
            f"chargeback-desk: warning: earlier months are still open: {', '.join(earlier)} "
            f"(their invoices are drafts; close them too)",
            file=sys.stderr,
        )
    if document.get("billing") == "showback":
        numbers = ", ".join(i["number"] for i in document["invoices"]) or "no statements"
        print(
            f"Closed {args.period} as a showback month (statements for information, never "
            f"posted): {numbers}; shown {document['grand_total']} {document['currency']}"
        )
        return EXIT_OK
    numbers = ", ".join(i["number"] for i in document["invoices"]) or "no invoices"
    functional = document.get("functional")
    converted = (
        f" (= {functional['currency']} {functional['grand_total']} at {functional['rate']}, "
        f"{functional['rate_source']})"
        if functional
        else ""
    )
    print(
        f"Closed {args.period}: {numbers}; invoiced {document['grand_total']} "
        f"{document['currency']}{converted}"
    )
    return EXIT_OK


def _cmd_reopen(args: argparse.Namespace) -> int:
    from app.services.closing import PeriodError, reopen_period

    with _opened(args, PeriodError) as workspace:
        reopen_period(workspace, args.period, args.reason)
    print(f"Reopened {args.period} (draft again); the reason is in the audit log")
    return EXIT_OK


def _cmd_reconcile(args: argparse.Namespace) -> int:
    from app.cli.reconcile_output import reconcile_json, reconcile_text
    from app.services.reconciliation import reconcile
    from app.services.reporting import ReportError

    with _opened(args, ReportError) as workspace:
        result = reconcile(workspace, args.period)
    print(json.dumps(reconcile_json(result), indent=2) if args.json else reconcile_text(result))
    return EXIT_OK


def _cmd_budgets(args: argparse.Namespace) -> int:
    from app.cli.budget_output import budgets_json, budgets_text
    from app.domain.money import AmountError, parse_decimal
    from app.services.budgets import (
        BudgetFileRejected,
        budget_report,
        import_budget_csv,
        suggest_budgets,
    )
    from app.services.reporting import ReportError, check_period

    with _opened(args) as workspace:
        if args.budget_command == "suggest":
            months = [m.strip() for m in args.months.split(",") if m.strip()]
            try:
                for month in [args.basis, *months]:
                    check_period(month)
                buffer = parse_decimal(args.buffer)
            except (ReportError, AmountError) as exc:
                raise UsageProblem(str(exc)) from None
            suggested = suggest_budgets(workspace, args.basis, months, buffer)
            for team, amount in suggested.items():
                print(f"{team}: {amount} a month for {', '.join(months)}")
            return EXIT_OK
        if args.budget_command == "import":
            try:
                count = import_budget_csv(workspace, args.file)
            except BudgetFileRejected as exc:
                for problem in exc.problems:
                    print(problem, file=sys.stderr)
                raise UsageProblem(str(exc)) from None
            print(f"Imported {counted(count, 'budget')} from {args.file.name}")
            return EXIT_OK
        if not args.period:
            raise UsageProblem("budgets needs --period YYYY-MM (or suggest / import)")
        try:
            report = budget_report(workspace, args.period)
        except ReportError as exc:
            raise UsageProblem(str(exc)) from None
    print(json.dumps(budgets_json(report), indent=2) if args.json else budgets_text(report))
    return EXIT_OK


def _cmd_export(args: argparse.Namespace) -> int:
    from app.services.exports import ExportError, export_period
    from app.services.reporting import ReportError

    with _opened(args, ExportError, ReportError) as workspace:
        if args.kind == "pdf":
            from app.ui.pdf_invoices import export_pdf_invoices

            written = export_pdf_invoices(workspace, args.period, args.out)
        elif args.kind == "report":
            from app.ui.monthly_report import export_monthly_report

            written = export_monthly_report(workspace, args.period, args.out)
        else:
            written = export_period(workspace, args.kind, args.period, args.out)
        if args.kind == "journal":
            from app.services.invoices import invoice_document

            if invoice_document(workspace, args.period)["status"] != "final":
                print(
                    f"chargeback-desk: warning: {args.period} is not closed; this journal is a "
                    f"DRAFT for review, not for posting (close the month for the final one)",
                    file=sys.stderr,
                )
    print(f"Wrote {written}")
    return EXIT_OK


def _cmd_gui(args: argparse.Namespace) -> int:
    from app.ui.launch import run_gui

    return run_gui(
        workspace=getattr(args, "workspace", None),
        demo=args.demo,
        page=args.page,
        screenshot=args.screenshot,
    )


def _cmd_self_test(_args: argparse.Namespace) -> int:
    from app.services.self_test import run_self_test
    from app.ui.self_test_render import render_every_page

    return EXIT_OK if run_self_test(print_line=print, gui_check=render_every_page) else EXIT_ERROR


def _cmd_workspace(args: argparse.Namespace) -> int:
    import getpass

    from app.cli import workspace_command
    from app.services.workspaces import WorkspaceError

    if str(args.source) == str(args.target):
        raise UsageProblem("SRC and DEST are the same workspace; name a new file or database")
    try:
        print(workspace_command.run(args, lambda url: getpass.getpass(f"Password for {url}: ")))
    except WorkspaceError as exc:
        raise UsageProblem(str(exc)) from None
    return EXIT_OK


def _cmd_rates(args: argparse.Namespace) -> int:
    from app.cli import rates_command
    from app.services.exchange_rates import RatesRejected

    with _opened(args) as workspace:
        try:
            print(rates_command.run(args, workspace))
        except RatesRejected as exc:
            raise UsageProblem("\n".join(exc.problems)) from None
    return EXIT_OK


def _cmd_disputes(args: argparse.Namespace) -> int:
    from app.cli import disputes_command
    from app.services.disputes import DisputeError

    with _opened(args, DisputeError) as workspace:
        print(disputes_command.run(args, workspace))
    return EXIT_OK


def _cmd_forecast(args: argparse.Namespace) -> int:
    from app.cli import forecast_command
    from app.services.forecast import ForecastError

    with _opened(args, ForecastError) as workspace:
        print(forecast_command.run(args, workspace))
    return EXIT_OK


def _cmd_hygiene(args: argparse.Namespace) -> int:
    from app.cli import governance_command

    return _governance(args, governance_command.run_hygiene)


def _cmd_model_policy(args: argparse.Namespace) -> int:
    from app.cli import governance_command

    return _governance(args, governance_command.run_model_policy)


def _governance(args: argparse.Namespace, run: Any) -> int:
    from app.services.policy_edits import EditRefused
    from app.services.reporting import ReportError
    from app.services.tag_hygiene import HygieneError

    with _opened(args, HygieneError, ReportError, EditRefused, ValueError) as workspace:
        print(run(args, workspace))
    return EXIT_OK


COMMANDS = {
    "init": _cmd_init,
    "hygiene": _cmd_hygiene,
    "model-policy": _cmd_model_policy,
    "forecast": _cmd_forecast,
    "disputes": _cmd_disputes,
    "rates": _cmd_rates,
    "workspace": _cmd_workspace,
    "import": _cmd_import,
    "formats": _cmd_formats,
    "imports": _cmd_imports,
    "report": _cmd_report,
    "gui": _cmd_gui,
    "prices": _cmd_prices,
    "config": _cmd_config,
    "invoices": _cmd_invoices,
    "close": _cmd_close,
    "reconcile": _cmd_reconcile,
    "budgets": _cmd_budgets,
    "metrics": _cmd_metrics,
    "export": _cmd_export,
    "reopen": _cmd_reopen,
}


def _workspace_problem(exc: Exception) -> str | None:
    """What to tell the user about a workspace that cannot be written or read, if that's it."""
    from app.services.workspaces import WorkspaceError, describe_database_error

    if isinstance(exc, WorkspaceError):
        return str(exc)
    return describe_database_error(exc)


def run() -> None:
    """The ``chargeback-desk`` console command: :func:`main`, then, for a command that has
    finished its work (output flushed, workspace closed), out of the process at once.

    A month's results are hundreds of thousands of small objects; tearing the interpreter down
    frees them one by one, a fifth of a second the user would wait for nothing.
    """
    code = _main(None, console=True)
    if not _LEAVE_AT_ONCE:
        sys.exit(code)
    for stream in (sys.stdout, sys.stderr):
        if stream is not None:
            with contextlib.suppress(OSError, ValueError):
                stream.flush()
    logging.shutdown()
    os._exit(code)


_LEAVE_AT_ONCE = False
"""Set by :func:`main` once a command other than the window has run to its end."""


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``chargeback-desk`` command (in a process that goes on after it)."""
    return _main(argv, console=False)


def _main(argv: list[str] | None, *, console: bool) -> int:
    from app.logging_setup import configure_logging

    global _LEAVE_AT_ONCE
    configure_logging()
    args = _parser().parse_args(argv)
    _LEAVE_AT_ONCE = console and args.command not in (None, "gui") and not args.self_test
    if _LEAVE_AT_ONCE:
        # One command, then the process ends: the cycle collector would walk the month's
        # hundreds of thousands of objects again and again to find garbage the end frees.
        gc.disable()
    try:
        if args.self_test:
            return _cmd_self_test(args)
        if args.command is None:
            args.demo, args.page, args.screenshot = False, "dashboard", None
            return _cmd_gui(args)
        return COMMANDS[args.command](args)
    except UsageProblem as exc:
        print(f"chargeback-desk: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        # The reader (``| head``) went away: nothing more to say.
        sys.stdout = None  # type: ignore[assignment]
        return EXIT_OK
    except KeyboardInterrupt:
        print("chargeback-desk: interrupted; nothing was changed", file=sys.stderr)
        return EXIT_ERROR
    except Exception as exc:
        problem = _workspace_problem(exc)
        if problem is not None:
            print(f"chargeback-desk: {problem}", file=sys.stderr)
            return EXIT_BAD_INPUT
        log.exception("Unexpected error")
        if sys.stderr is None:  # a windowed build: no console; say it in a dialog
            from app.ui.crash_report import report_now

            report_now(exc)
            return EXIT_ERROR
        print(f"chargeback-desk: unexpected error: {exc} (details in the log)", file=sys.stderr)
        return EXIT_ERROR
