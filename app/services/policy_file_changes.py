"""Importing a policy file from the window: the same validation as ``config apply`` (every
problem listed), then a change of the whole document that can be previewed and undone.

Like ``config apply`` it replaces the policy, budgets, price overrides and discounts, and the
provider totals and import profiles the file gives (those it does not give are kept). Undo
restores exactly what was there before.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app.domain.policy_codec import document_to_mapping
from app.services.policy import PolicyRejected, comparable, document_in, read_policy_file
from app.services.policy_edits import DOCUMENT_SCOPE, PolicyChange
from app.services.workspaces import Workspace
from app.workspace.policy_store import current_policy_version

REPLACED_PARTS = (
    ("budgets", "budgets"),
    ("prices", "price overrides"),
    ("discounts", "contract discounts"),
    ("provider_invoices", "provider totals"),
    ("import_profiles", "import mapping profiles"),
)


def import_change(workspace: Workspace, path: Path) -> PolicyChange:
    """The change that applies the policy file ``path``; :class:`PolicyRejected` lists every
    problem (a file without teams is refused, as ``config apply`` does without
    ``--allow-empty``)."""
    document = read_policy_file(path)
    if not document.policy.teams:
        raise PolicyRejected(
            path.name,
            [
                "the policy has no teams: applying it would remove every team, rule, pool and "
                "budget (the command line can do it, with config apply --allow-empty)"
            ],
        )
    with workspace.engine.connect() as conn:
        version = current_policy_version(conn)[0]
        held = document_in(conn)
    given = {i.period for i in document.provider_invoices}
    document.provider_invoices = sorted(
        [
            *document.provider_invoices,
            *(i for i in held.provider_invoices if i.period not in given),
        ],
        key=lambda i: i.period,
    )
    named = {str(p.get("name")) for p in document.import_profiles}
    document.import_profiles = [
        *document.import_profiles,
        *(p for p in held.import_profiles if str(p.get("name")) not in named),
    ]
    return PolicyChange(
        f"Import policy {path.name}",
        version,
        document_to_mapping(held),
        document_to_mapping(document),
        DOCUMENT_SCOPE,
    )


def replaced_parts(change: PolicyChange) -> list[str]:
    """What a whole-document change replaces besides the policy, in words."""
    if change.scope != DOCUMENT_SCOPE:
        return []
    before, after = comparable(change.before), comparable(change.after)
    notes = []
    for key, name in REPLACED_PARTS:
        old: list[Any] = before.get(key, [])
        new: list[Any] = after.get(key, [])
        if old == new:
            continue
        if not new:
            notes.append(f"Removes the {len(old)} {name}.")
        elif not old:
            notes.append(f"Adds {len(new)} {name}.")
        else:
            notes.append(f"Replaces the {len(old)} {name} with {len(new)}.")
    return notes
