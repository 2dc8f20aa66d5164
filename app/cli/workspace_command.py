"""``workspace copy SRC DEST``: move a workspace between a file and a server, either way."""

from __future__ import annotations

import json
import sys
from typing import Any

from app.services.workspace_copy import CopyResult, copy_workspace
from app.services.workspaces import is_server_location, without_password


def add_parser(sub: Any, location: Any) -> None:
    workspace = sub.add_parser(
        "workspace", help="copy a workspace between a file and a server (postgresql:// URL)"
    )
    actions = workspace.add_subparsers(dest="workspace_command", metavar="ACTION", required=True)
    copy = actions.add_parser(
        "copy",
        help="copy SRC into DEST, a new file or an empty database, and prove every month's "
        "invoices identical",
    )
    copy.add_argument("source", type=location, metavar="SRC")
    copy.add_argument("target", type=location, metavar="DEST")
    copy.add_argument("--json", action="store_true")


def _note(message: str) -> None:
    if sys.stderr.isatty():
        print(f"\r\033[K{message}", end="", file=sys.stderr, flush=True)


def _text(result: CopyResult) -> str:
    lines = result.rows.get("usage_lines", 0)
    imports = result.rows.get("import_batches", 0)
    closed = result.rows.get("closed_periods", 0)
    months = ", ".join(result.months) if result.months else "none"
    return (
        f"Copied {result.source} to {result.target}: {imports} imports, {lines:,} usage "
        f"lines, {closed} closed months.\nInvoices identical in both for every month: {months}."
    )


def _asking_side(args: Any, url: str) -> str | None:
    """Which of SRC and DEST is the server that asked for a password (``url``, shown form)."""
    for side in ("source", "target"):
        location = getattr(args, side)
        if is_server_location(location) and without_password(str(location)) == url:
            return side
    return None


def run(args: Any, ask_password: Any) -> str:
    """Copy, asking for a server's password when one is needed and a terminal is there."""
    from app.workspace.server_workspace import PasswordNeeded

    passwords: dict[str, str] = {}
    while True:
        try:
            result = copy_workspace(
                args.source,
                args.target,
                source_password=passwords.get("source"),
                target_password=passwords.get("target"),
                note=_note,
            )
            break
        except PasswordNeeded as exc:
            side = _asking_side(args, exc.url)
            if side is None or side in passwords or not sys.stdin.isatty():
                raise
            passwords[side] = ask_password(exc.url)
    if sys.stderr.isatty():
        print("\r\033[K", end="", file=sys.stderr, flush=True)
    if args.json:
        return json.dumps(
            {
                "source": result.source,
                "target": result.target,
                "rows": result.rows,
                "months_identical": result.months,
            },
            indent=2,
        )
    return _text(result)
