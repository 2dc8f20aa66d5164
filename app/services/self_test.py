"""``--self-test``: exercise every lazily loaded path (migrations, price book, every importer,
the fast CSV path, reports, every export, the demo workspace, and — through the UI layer —
every page and chart rendered and the PDF invoices) in a temporary folder; frozen builds run it
after packaging."""

from __future__ import annotations

import logging
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path

log = logging.getLogger(__name__)


def _check_imports(folder: Path, print_line: Callable[[str], None]) -> bool:
    from app.services.importing import IMPORTED, import_file
    from app.services.reporting import cost_report
    from app.services.self_test_samples import SAMPLES
    from app.services.workspaces import create_workspace
    from importers import all_importers

    ok = True
    known = {importer.id for importer in all_importers()}
    missing = known - set(SAMPLES)
    if missing:
        print_line(f"FAIL no self-test sample for {sorted(missing)}")
        ok = False
    workspace = create_workspace(folder / "self-test.cbdesk")
    try:
        for format_id, (name, content) in SAMPLES.items():
            path = folder / name
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
            report = import_file(workspace, path, format_id=format_id)
            if report.status != IMPORTED:
                print_line(f"FAIL import {format_id}: {'; '.join(report.problems())}")
                ok = False
            else:
                print_line(f"ok   import {format_id}: {report.lines_added} lines")
        report = cost_report(workspace, "2026-10", ["model"])
        print_line(f"ok   report 2026-10: {len(report.rows)} rows, total {report.total:.2f}")
    finally:
        workspace.dispose()
    return ok


def _check_exports(folder: Path, print_line: Callable[[str], None]) -> bool:
    """Every export of the services (Excel, allocated CSV, FOCUS, journal) of the demo's last
    closed month."""
    from app.services.exports import KINDS, export_period
    from app.services.workspaces import open_workspace

    ok = True
    workspace = open_workspace(folder / "demo.cbdesk")
    try:
        for kind in KINDS:
            out = folder / f"export.{'xlsx' if kind == 'xlsx' else kind + '.csv'}"
            export_period(workspace, kind, DEMO_PERIOD, out)
            if out.is_file() and out.stat().st_size > 0:
                print_line(f"ok   export {kind}: {out.stat().st_size:,} bytes")
            else:
                print_line(f"FAIL export {kind}: nothing written")
                ok = False
    finally:
        workspace.dispose()
    return ok


DEMO_PERIOD = "2026-10"
"""A month of the demo with invoices to export."""


def _check_server_driver(print_line: Callable[[str], None]) -> bool:
    """Shared workspaces: the PostgreSQL driver with its own libpq (a bundle has no other) and
    SQLAlchemy's dialect for it load; no server is contacted."""
    import psycopg

    from app.workspace.postgres_engine import make_engine

    engine = make_engine("postgresql://selftest@/selftest?host=/nonexistent")
    try:
        driver = engine.dialect.driver
    finally:
        engine.dispose()
    implementation = psycopg.pq.__impl__
    if implementation == "python":
        print_line("FAIL shared workspaces: psycopg found no libpq of its own (binary wheel)")
        return False
    print_line(
        f"ok   shared workspaces: {driver} {psycopg.__version__} with libpq "
        f"{psycopg.pq.version()} ({implementation})"
    )
    return True


def run_self_test(
    print_line: Callable[[str], None] = print,
    gui_check: Callable[[Path, Path, Callable[[str], None]], bool] | None = None,
) -> bool:
    """Run every check; True when all pass.

    ``gui_check(folder, demo_workspace, print_line)`` renders every page of the window and the
    PDF invoices (the UI layer passes it in; services know no Qt).
    """
    from app.services.pricing import builtin_price_entries

    ok = True
    try:
        entries = builtin_price_entries()
        print_line(f"ok   price book: {len(entries)} built-in entries")
        with tempfile.TemporaryDirectory(prefix="cbdesk-selftest-") as tmp:
            folder = Path(tmp)
            ok = _check_imports(folder, print_line) and ok
            from app.services.demo import build_demo_workspace
            from app.workspace.db import SCHEMA_HEAD

            build_demo_workspace(folder / "demo.cbdesk").dispose()
            print_line(f"ok   demo workspace built, migrations to {SCHEMA_HEAD}")
            ok = _check_exports(folder, print_line) and ok
            ok = _check_server_driver(print_line) and ok
            if gui_check is not None:
                ok = gui_check(folder, folder / "demo.cbdesk", print_line) and ok
    except Exception:
        log.exception("Self-test failed")
        print_line("FAIL " + traceback.format_exc().strip().splitlines()[-1])
        ok = False
    print_line("self-test passed" if ok else "self-test FAILED")
    return ok
