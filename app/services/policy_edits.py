"""Changing the policy from the window, one command at a time, each of which can be undone.

A :class:`PolicyChange` is one whole edit: what it does in words, the policy in force it was
made from, and the policy mapping before and after. :class:`EditStack` applies, undoes and
redoes changes. Each step is one write transaction that

1. checks the policy in force is still the one the step expects (another window, a
   ``config apply`` or another machine may have changed it; that change is never overwritten);
2. validates the new policy exactly as ``config apply`` does, listing every problem;
3. stores it as a new policy version and records its audit row with what changed.

Undo refuses to cross a month close: the change shaped that month's invoices. A step that is
refused changes nothing and says why (:class:`EditRefused`). The stack has no Qt in it; the
window wraps it in a ``QUndoStack``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from app.domain.policy_codec import document_to_mapping
from app.services.policy import (
    checked_document,
    comparable,
    document_in,
    write_document,
)
from app.services.workspaces import Workspace
from app.workspace import audit
from app.workspace.policy_store import (
    current_policy_mapping,
    current_policy_version,
    save_policy_mapping,
)

WINDOW_SOURCE = "window"
"""How an edit made in the window names itself in the policy versions."""


POLICY_SCOPE = "policy"
"""A change of the policy alone (teams, rules, pools, settings)."""
DOCUMENT_SCOPE = "document"
"""A change of everything ``config apply`` replaces: the policy, budgets, price overrides,
discounts and provider totals (the mappings are whole policy documents)."""


class EditRefused(ValueError):
    """A change, undo or redo was not made; nothing changed. ``problems`` lists why."""

    def __init__(self, summary: str, problems: list[str] | None = None) -> None:
        super().__init__(summary)
        self.summary = summary
        self.problems = problems or []


@dataclass(frozen=True)
class PolicyState:
    """The policy in force: its version (0 before any), where it came from, and the mapping."""

    version: int
    source: str
    applied_at: str
    mapping: dict[str, Any]
    scope: str = POLICY_SCOPE


@dataclass(frozen=True)
class PolicyChange:
    """One edit, made from policy version ``base_version``."""

    description: str
    base_version: int
    before: dict[str, Any]
    after: dict[str, Any]
    scope: str = POLICY_SCOPE


def policy_state(workspace: Workspace) -> PolicyState:
    with workspace.engine.connect() as conn:
        return _state(conn)


def _state(conn: Connection) -> PolicyState:
    version, source, applied_at = current_policy_version(conn)
    return PolicyState(version, source, applied_at, current_policy_mapping(conn) or {})


def change_of(state: PolicyState, description: str, after: dict[str, Any]) -> PolicyChange:
    """The change from ``state`` to the mapping ``after`` (of the policy, or of the whole
    document when ``state`` is a :func:`document_state`)."""
    return PolicyChange(description, state.version, state.mapping, after, state.scope)


def document_state(workspace: Workspace) -> PolicyState:
    """Everything ``config apply`` replaces, as one mapping: for changes that reach budgets
    (renaming or merging a team moves its budgets too)."""
    with workspace.engine.connect() as conn:
        version, source, applied_at = current_policy_version(conn)
        mapping = document_to_mapping(document_in(conn))
    return PolicyState(version, source, applied_at, mapping, DOCUMENT_SCOPE)


def changed_sections(before: dict[str, Any], after: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """What differs, section by section, for the audit log: for a list section the entries
    removed and added (``reordered`` when only the order changed), for the settings the keys
    whose values differ, before and after."""
    found: dict[str, dict[str, Any]] = {}
    for section in sorted(set(before) | set(after)):
        old, new = before.get(section), after.get(section)
        if old == new:
            continue
        if isinstance(old, dict | None) and isinstance(new, dict | None):
            old, new = old or {}, new or {}
            keys = sorted(k for k in set(old) | set(new) if old.get(k) != new.get(k))
            found[section] = {
                "before": {k: old[k] for k in keys if k in old},
                "after": {k: new[k] for k in keys if k in new},
            }
            continue
        old_items = old if isinstance(old, list) else []
        new_items = new if isinstance(new, list) else []
        removed = [item for item in old_items if item not in new_items]
        added = [item for item in new_items if item not in old_items]
        found[section] = (
            {"removed": removed, "added": added} if removed or added else {"reordered": True}
        )
    return found


@dataclass
class _Step:
    """A change applied (or undone) and the audit entry of that step."""

    change: PolicyChange
    audit_id: int


class EditStack:
    """The changes made in this window, in order, and the ones undone (for redo)."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self._done: list[_Step] = []
        self._undone: list[_Step] = []
        self._head = 0
        """The policy version this stack wrote last: undo and redo need it still in force."""

    @property
    def can_undo(self) -> bool:
        return bool(self._done)

    @property
    def can_redo(self) -> bool:
        return bool(self._undone)

    @property
    def undo_text(self) -> str:
        return self._done[-1].change.description if self._done else ""

    @property
    def redo_text(self) -> str:
        return self._undone[-1].change.description if self._undone else ""

    @property
    def position(self) -> int:
        """How many changes are in force (the rest were undone)."""
        return len(self._done)

    def descriptions(self) -> list[str]:
        """Every change, oldest first: the ones in force, then the undone, most recent last."""
        return [s.change.description for s in self._done] + [
            s.change.description for s in reversed(self._undone)
        ]

    def apply(self, change: PolicyChange) -> None:
        """Make ``change``; the changes undone before it can no longer be redone."""
        audit_id = self._write(
            change.base_version,
            "policy.edit",
            change,
            refusal=f"“{change.description}” was not made",
        )
        self._done.append(_Step(change, audit_id))
        self._undone.clear()

    def undo(self) -> str:
        """Undo the latest change in force; returns its description."""
        if not self._done:
            raise EditRefused("There is nothing to undo")
        step = self._done[-1]
        description = step.change.description
        reverse = PolicyChange(
            description, self._head, step.change.after, step.change.before, step.change.scope
        )
        audit_id = self._write(
            self._head,
            "policy.undo",
            reverse,
            refusal=f"Cannot undo “{description}”",
            since=step.audit_id,
        )
        self._done.pop()
        self._undone.append(_Step(step.change, audit_id))
        return description

    def redo(self) -> str:
        """Make the latest undone change again; returns its description."""
        if not self._undone:
            raise EditRefused("There is nothing to redo")
        step = self._undone[-1]
        description = step.change.description
        audit_id = self._write(
            self._head,
            "policy.redo",
            step.change,
            refusal=f"Cannot redo “{description}”",
            since=step.audit_id,
        )
        self._undone.pop()
        self._done.append(_Step(step.change, audit_id))
        return description

    def _write(
        self,
        expected_version: int,
        action: str,
        change: PolicyChange,
        *,
        refusal: str,
        since: int | None = None,
    ) -> int:
        """Make ``change`` (store its ``after``) if version ``expected_version`` is still in
        force, and for a document change its ``before`` is what the workspace holds (and, with
        ``since``, no month was closed after audit entry ``since``); returns the step's audit
        entry."""
        mapping = change.after
        with self.workspace.write() as conn:
            version, source, applied_at = current_policy_version(conn)
            if version != expected_version:
                who = audit.last_actor(conn, "policy.") or "someone"
                raise EditRefused(
                    refusal,
                    [
                        f"The policy was changed by {who} at {applied_at} "
                        f"({source or 'an unknown source'}); that change is kept. Reload: "
                        f"look at the page again and make the change anew."
                    ],
                )
            if change.scope == DOCUMENT_SCOPE:
                held = document_to_mapping(document_in(conn))
                if comparable(held) != comparable(change.before):
                    raise EditRefused(
                        refusal,
                        [
                            "Budgets, prices, discounts or provider totals were changed since "
                            "(from the command line or another window); that change is kept. "
                            "Look at the page again and make the change anew."
                        ],
                    )
            if since is not None:
                closed = audit.first_after(conn, since, "period.close")
                if closed is not None:
                    month = closed["detail"].get("period", "a month")
                    raise EditRefused(
                        refusal,
                        [
                            f"{month} was closed at {closed['at']}, after this change: its "
                            f"invoices were made with it. Make a new change instead; it "
                            f"applies to the open months."
                        ],
                    )
            document, problems = checked_document(mapping)
            if problems:
                raise EditRefused(refusal, problems)
            source = f"{WINDOW_SOURCE}: {change.description}"
            if change.scope == DOCUMENT_SCOPE:
                written = write_document(conn, document, source, replace_provider_totals=True)
            else:
                written = save_policy_mapping(conn, mapping, source)
            audit_id = audit.record(
                conn,
                action,
                version=written,
                change=change.description,
                sections=changed_sections(change.before, change.after),
            )
        self._head = written
        return audit_id
