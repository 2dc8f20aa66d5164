"""Use case: build the demo workspace from generated export files, through the real importers."""

from __future__ import annotations

import os
import tempfile
import tomllib
from decimal import Decimal
from pathlib import Path

import resources
from app.domain.policy_codec import Budget, document_from_mapping
from app.domain.progress import CancelToken, ProgressCallback, no_progress
from app.services.closing import close_period
from app.services.demo_data import write_demo_files
from app.services.disputes import accept_dispute, record_dispute, reject_dispute
from app.services.importing import IMPORTED, import_file
from app.services.invoices import period_invoices
from app.services.policy import apply_policy
from app.services.workspaces import demo_workspace_path
from app.workspace.db import (
    Workspace,
    WorkspaceError,
    create_workspace,
    open_workspace,
    remove_workspace,
)

DEMO_NAME = "Demo — Acme Corp"
DEMO_VERSION = "2026-11-26.4"
"""Bumped whenever the demo's data or policy change, so an older demo file is rebuilt."""


def build_demo_workspace(
    path: Path | str,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
    *,
    password: str | None = None,
) -> Workspace:
    """Create ``path`` (a file, or a server URL) and import the demo company's six months of
    exports into it."""
    cancel = cancel or CancelToken()
    workspace = create_workspace(path, name=DEMO_NAME, password=password)
    try:
        with tempfile.TemporaryDirectory(prefix="cbdesk-demo-") as tmp:
            progress(0.05, "Writing the demo exports")
            files = write_demo_files(Path(tmp))
            for index, file in enumerate(files):
                cancel.check()
                progress(0.1 + 0.9 * index / len(files), f"Importing {file.name}")
                report = import_file(workspace, file, cancel=cancel)
                if report.status != IMPORTED:
                    raise RuntimeError(
                        f"demo file {file.name} did not import: {'; '.join(report.problems())}"
                    )
    except BaseException:
        remove_workspace(workspace)  # a half-built demo is not left behind, file or server
        raise
    progress(0.95, "Applying the demo policy and budgets")
    apply_demo_policy(workspace)
    workspace.set_setting("demo_version", DEMO_VERSION)
    progress(1.0, "Demo workspace ready")
    return workspace


CLOSED_MONTHS = ("2026-05", "2026-06", "2026-07")
"""The showback months: closed; August on is chargeback, still draft."""
BUDGET_BASIS_MONTH = "2026-07"
BUDGET_MONTHS = ("2026-08", "2026-09", "2026-10", "2026-11")
BUDGET_BUFFER = Decimal("0.20")


def apply_demo_policy(workspace: Workspace) -> None:
    """The demo's policy; budgets for Aug–Oct are July's invoices plus 20 % (a shadow month)."""
    document, problems = document_from_mapping(
        tomllib.loads(resources.read_text("demo_policy.toml"))
    )
    if problems:
        raise RuntimeError(f"demo policy: {problems}")
    apply_policy(workspace, document, source="demo_policy.toml")
    basis = period_invoices(workspace, BUDGET_BASIS_MONTH).allocation
    document.budgets = [
        Budget(
            invoice.team,
            month,
            (Decimal(invoice.total_cents) / 100 * (1 + BUDGET_BUFFER)).quantize(Decimal(1)),
        )
        for month in BUDGET_MONTHS
        for invoice in basis.invoices
    ]
    apply_policy(workspace, document, source="demo_policy.toml + budgets")
    for period in CLOSED_MONTHS:
        close_period(workspace, period)
    contest_demo_statements(workspace)


def contest_demo_statements(workspace: Workspace) -> None:
    """Team leads contest July's shadow statements, as they would before go-live: one
    rejected, one accepted (a statement charged nothing: no money moves), one still open."""
    rejected = record_dispute(
        workspace,
        "2026-07",
        "Research",
        "Platform (proportional, 3.33%)",
        "20.01",
        "Priya Natarajan (Research lead)",
        "Research runs its own gateway and does not use the shared platform",
    )
    reject_dispute(
        workspace,
        rejected.code,
        "Research's keys go through the platform gateway (gateway log, July)",
    )
    accepted = record_dispute(
        workspace,
        "2026-07",
        "Product",
        "claude-sonnet-4-6",
        "300.00",
        "Marco Bianchi (Product lead)",
        "The load test of 14 July ran under Product's key for Engineering",
    )
    accept_dispute(
        workspace, accepted.code, "Engineering", "Confirmed with Engineering; key rule added"
    )
    record_dispute(
        workspace,
        "2026-07",
        "Data",
        "claude-opus-4-7",
        "1250.00",
        "Anna Kowalski (Data lead)",
        "Evaluation runs for Research were billed under a Data key",
    )


def ensure_demo_workspace(progress: ProgressCallback = no_progress) -> Path:
    """The demo workspace's path, building it first when it is missing (atomically)."""
    target = demo_workspace_path()
    if target.is_file() and _demo_version(target) == DEMO_VERSION:
        return target
    partial = target.with_name(f".building-{os.getpid()}-{target.name}")
    workspace = build_demo_workspace(partial, progress)
    workspace.dispose()
    for suffix in ("-wal", "-shm"):
        Path(f"{partial}{suffix}").unlink(missing_ok=True)
    os.replace(partial, target)
    return target


def _demo_version(path: Path) -> str | None:
    try:
        workspace = open_workspace(path)
    except WorkspaceError:
        return None
    try:
        return workspace.setting("demo_version")
    finally:
        workspace.dispose()
