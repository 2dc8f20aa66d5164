"""Work behind File → Import policy… and Export policy… (Qt-free): preparing the import as a
previewed change of the whole document, and writing the policy in force to a file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from app.services.impact_preview import ImpactPreview, preview_change, preview_month
from app.services.policy import PolicyRejected, export_policy_file
from app.services.policy_edits import EditRefused, PolicyChange
from app.services.policy_file_changes import import_change
from app.services.workspaces import Workspace


def import_task(
    workspace: Workspace, path: Path
) -> Callable[[], tuple[PolicyChange, ImpactPreview]]:
    """The import of ``path`` and its preview on the newest month, for a worker; a file with
    problems is refused with every one of them."""

    def prepare() -> tuple[PolicyChange, ImpactPreview]:
        try:
            change = import_change(workspace, path)
        except PolicyRejected as exc:
            raise EditRefused(
                f"{path.name} cannot be applied: {len(exc.problems)} problem(s)", exc.problems
            ) from None
        period = preview_month(workspace)
        return change, preview_change(workspace, change, period)

    return prepare


def export_task(workspace: Workspace, path: Path) -> Callable[[], str]:
    """Write the policy in force (with budgets, prices, discounts, provider totals) to ``path``."""

    def write() -> str:
        export_policy_file(workspace, path)
        return f"Policy exported to {path}"

    return write
