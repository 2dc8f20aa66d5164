"""``imports``: list the workspace's imports with their ids; ``imports remove ID`` undoes one."""

from __future__ import annotations

import argparse
import json
from typing import Any

from app.domain.money import format_money
from app.services.import_history import ImportRecord, RemovedImport, list_imports, remove_import
from app.services.workspaces import Workspace


def add_parser(sub: Any, workspace_option: Any) -> None:
    imports = sub.add_parser("imports", help="list imports with ids, or remove one")
    workspace_option(imports)
    imports.add_argument("--json", action="store_true")
    actions = imports.add_subparsers(dest="imports_command", metavar="ACTION")
    remove = actions.add_parser(
        "remove", help="remove one import of open periods and all it brought (audited)"
    )
    remove.add_argument("batch_id", type=int, metavar="ID")


def _record_json(record: ImportRecord) -> dict[str, Any]:
    return {
        "id": record.id,
        "file": record.file_name,
        "format": record.format,
        "kind": record.kind,
        "imported_at": record.imported_at,
        "period_start": record.period_start,
        "period_end": record.period_end,
        "rows_read": record.rows_read,
        "lines_added": record.lines_added,
        "lines_replaced": record.lines_replaced,
        "duplicates_skipped": record.duplicates_skipped,
        "requests_already_imported": record.requests_already_imported,
        "cost": None if record.cost is None else format_money(record.cost),
    }


def imports_text(records: list[ImportRecord]) -> str:
    if not records:
        return "No imports yet."
    out = [
        f"{'id':>5}  {'imported (UTC)':<16}  {'format':<22} {'period':<23} {'lines':>8}  cost  file"
    ]
    for r in records:
        period = f"{r.period_start} – {r.period_end}" if r.period_start else ""
        cost = "—" if r.cost is None else f"{format_money(r.cost):>12}"
        out.append(
            f"{r.id:>5}  {r.imported_at.replace('T', ' ')[:16]:<16}  {r.format:<22} "
            f"{period:<23} {r.lines_added:>8,} {cost:>12}  {r.file_name}"
        )
    return "\n".join(out)


def removed_text(removed: RemovedImport) -> str:
    text = (
        f"Removed import {removed.batch_id} ({removed.file_name}): {removed.usage_lines:,} usage "
        f"line(s), {removed.statement_lines:,} statement line(s), "
        f"{removed.provider_invoices} provider invoice(s); the removal is in the audit log"
    )
    if removed.lines_replaced:
        text += ". " + removed.replaced_note()
    return text


def run(args: argparse.Namespace, workspace: Workspace) -> str:
    """The command's output; raises RemovalRefused for a removal that cannot be done."""
    if args.imports_command == "remove":
        return removed_text(remove_import(workspace, args.batch_id))
    records = list_imports(workspace)
    if args.json:
        return json.dumps({"imports": [_record_json(r) for r in records]}, indent=2)
    return imports_text(records)
