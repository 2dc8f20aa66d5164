"""The audit log page's state (Qt-free): each entry in words — when (local time), who, what —
filterable by kind and by words, and the chosen entry's before and after, readable."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from app.services.audit_trail import SHOWN, AuditEntry, audit_entries
from app.services.workspaces import Workspace
from app.ui.presentation.formatting import count, day_label, money
from app.ui.presentation.rules import conditions_text
from app.ui.presentation.table import Column, TableState

ACTION_WORDS = {
    "import": "File imported",
    "import.remove": "Import removed",
    "metrics.import": "Business metrics imported",
    "policy.apply": "Policy file applied",
    "policy.edit": "Policy changed",
    "policy.undo": "Change undone",
    "policy.redo": "Change redone",
    "period.close": "Month closed",
    "period.reopen": "Month reopened",
    "price.set": "Price set",
    "price.discount": "Discount set",
    "price.import": "Price list imported",
    "rates.set": "Exchange rates set",
    "dispute.record": "Dispute recorded",
    "dispute.accept": "Dispute accepted",
    "dispute.reject": "Dispute rejected",
}
KINDS: dict[str, frozenset[str] | None] = {
    "Every change": None,
    "Imports": frozenset({"import", "import.remove", "metrics.import"}),
    "Policy": frozenset({"policy.apply", "policy.edit", "policy.undo", "policy.redo"}),
    "Prices and discounts": frozenset({"price.set", "price.discount", "price.import"}),
    "Month closes": frozenset({"period.close", "period.reopen"}),
    "Disputes": frozenset({"dispute.record", "dispute.accept", "dispute.reject"}),
    "Exchange rates": frozenset({"rates.set"}),
}
SECTION_WORDS = {
    "teams": "team",
    "departments": "department",
    "products": "product",
    "environments": "environment",
    "rules": "rule",
    "pools": "pool",
    "budgets": "budget",
    "prices": "price override",
    "discounts": "discount",
    "provider_invoices": "provider total",
}


def _money(value: object) -> str:
    """An amount recorded as text, as money (as recorded when it is not a number)."""
    try:
        return money(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        return str(value)


def when(at: str) -> str:
    """An entry's UTC time as the user's local date and time."""
    local = datetime.fromisoformat(at).astimezone()
    return f"{day_label(local.date().isoformat())} {local:%H:%M}"


def summary(entry: AuditEntry) -> str:
    """One line: what the entry did."""
    d = entry.detail
    action = entry.action
    if action == "import":
        return f"{d.get('file')} ({d.get('format')}): {count(int(d.get('lines_added', 0)))} lines"
    if action == "import.remove":
        return f"{d.get('file')}: {count(int(d.get('usage_lines', 0)))} usage lines removed"
    if action in ("policy.edit", "policy.undo", "policy.redo"):
        return str(d.get("change", ""))
    if action == "policy.apply":
        return f"{d.get('source')}: {d.get('teams')} teams, {d.get('rules')} rules"
    if action == "period.close":
        invoices = len(d.get("invoices", []))
        noun = "invoice" if invoices == 1 else "invoices"
        return f"{d.get('period')}: {invoices} {noun}, total {_money(d.get('grand_total'))}"
    if action == "period.reopen":
        return f"{d.get('period')}: {d.get('reason')}"
    if action == "price.set":
        rates = f"input {d.get('input')}, output {d.get('output')}"
        return f"{d.get('model')} from {d.get('effective_from')}: {rates}"
    if action == "dispute.record":
        return (
            f"{d.get('dispute')}: {d.get('team')} contests {_money(d.get('amount'))} of "
            f"{d.get('line_label')} on {d.get('document_number')}"
        )
    if action == "dispute.accept":
        where = f" in {d.get('lands_in')}" if d.get("lands_in") else " (showback: nothing moves)"
        return (
            f"{d.get('dispute')}: {_money(d.get('amount'))} from {d.get('team')} to "
            f"{d.get('move_to')}{where}"
        )
    if action == "dispute.reject":
        return f"{d.get('dispute')} ({d.get('team')}): {d.get('reason')}"
    if action == "rates.set":
        rates = d.get("rates", [])
        shown = ", ".join(f"{r.get('period')} {r.get('rate')} {r.get('currency')}" for r in rates)
        return f"{len(rates)} rate(s) ({d.get('origin')}): {shown}"
    if action == "price.discount":
        return f"{d.get('percent')} % on {d.get('model')} from {d.get('effective_from')}"
    return ", ".join(f"{k} {v}" for k, v in sorted(d.items()) if not isinstance(v, dict | list))


def _item_text(section: str, item: Any) -> str:
    if section == "rules" and isinstance(item, Mapping):
        sets = ", ".join(
            f"{k} {item[k]}" for k in ("team", "product", "environment") if item.get(k)
        )
        name = f" (“{item['label']}”)" if item.get("label") else ""
        return f"when {conditions_text(dict(item))} → {sets}{name}"
    if isinstance(item, Mapping):
        return ", ".join(f"{k} {v}" for k, v in item.items())
    return str(item)


def section_lines(sections: Mapping[str, Any]) -> list[str]:
    """What a policy change changed, section by section, as "before → after" lines."""
    lines = []
    for section, change in sections.items():
        noun = SECTION_WORDS.get(section, section)
        if "before" in change or "after" in change:
            before, after = change.get("before", {}), change.get("after", {})
            for key in sorted(set(before) | set(after)):
                old, new = before.get(key, "(not set)"), after.get(key, "(not set)")
                lines.append(f"{section}.{key}: {old} → {new}")
            continue
        if change.get("reordered"):
            lines.append(f"The {noun}s were put in a new order.")
        for item in change.get("removed", []):
            lines.append(f"Removed {noun}: {_item_text(section, item)}")
        for item in change.get("added", []):
            lines.append(f"Added {noun}: {_item_text(section, item)}")
    return lines


def details(entry: AuditEntry) -> list[str]:
    """The entry in full, readable: the before and after of a policy change, the invoices a
    close numbered, the reason for a reopen."""
    d = entry.detail
    head = [
        f"{ACTION_WORDS.get(entry.action, entry.action)} on {when(entry.at)} "
        f"by {entry.actor or 'an earlier version of the app (who was not recorded)'}."
    ]
    if entry.action in ("policy.edit", "policy.undo", "policy.redo"):
        verb = {"policy.undo": "Undid", "policy.redo": "Redid"}.get(entry.action, "Made")
        return [
            *head,
            f"{verb} “{d.get('change')}” (policy version {d.get('version')}).",
            *section_lines(d.get("sections", {})),
        ]
    if entry.action == "period.close":
        return [*head, f"Invoices numbered: {', '.join(d.get('invoices', []))}."] + [
            f"{k.replace('_', ' ')}: {v}" for k, v in sorted(d.items()) if k != "invoices"
        ]
    if entry.action == "period.reopen":
        frozen = d.get("frozen") or {}
        return [
            *head,
            f"Month {d.get('period')} reopened because: {d.get('reason')}",
            f"Its invoices as closed: {len(frozen.get('invoices', []))} teams, grand total "
            f"{_money(frozen.get('grand_total'))}.",
        ]
    return head + [f"{k.replace('_', ' ')}: {v}" for k, v in sorted(d.items())]


class AuditPresenter:
    """The newest entries, filtered by kind and words; one chosen."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.table = TableState(
            [Column("When"), Column("Who"), Column("What"), Column("Change")],
            empty_text="No change matches",
        )
        self.entries: list[AuditEntry] = []
        self.shown: list[AuditEntry] = []
        self.kind = "Every change"
        self.words = ""
        self.note = ""

    def fetch(self) -> list[AuditEntry]:
        return audit_entries(self.workspace)

    def reload(self) -> None:
        self.apply(self.fetch())

    def apply(self, entries: list[AuditEntry]) -> None:
        self.entries = entries
        self.refilter()

    def set_filter(self, kind: str, words: str) -> None:
        self.kind, self.words = kind, words
        self.refilter()

    def refilter(self) -> None:
        actions = KINDS.get(self.kind)
        wanted = self.words.casefold().split()
        rows, shown = [], []
        for entry in self.entries:
            if actions is not None and entry.action not in actions:
                continue
            row = [
                when(entry.at),
                entry.actor or "—",
                ACTION_WORDS.get(entry.action, entry.action),
                summary(entry),
            ]
            text = " ".join(row).casefold()
            if all(word in text for word in wanted):
                rows.append(row)
                shown.append(entry)
        self.table.rows, self.shown = rows, shown
        capped = len(self.entries) >= SHOWN
        self.note = (
            f"{count(len(shown))} of {count(len(self.entries))} changes"
            + (f" (the newest {count(SHOWN)})" if capped else "")
            + ", newest first. Choose one to read it in full."
        )

    def details_of(self, row: int) -> list[str]:
        return details(self.shown[row]) if 0 <= row < len(self.shown) else []
