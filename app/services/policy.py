"""Use cases: apply a policy file (all or nothing), export the policy in force, read it."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Connection

from app.domain.policy_codec import (
    Budget,
    PolicyDocument,
    ProviderInvoiceEntry,
    document_from_mapping,
    document_to_mapping,
)
from app.domain.price_book import (
    OPTIONAL_RATE_FIELDS,
    ContractDiscount,
    PriceBookError,
    PriceEntry,
    discount_from_mapping,
    entry_from_mapping,
)
from app.workspace import audit
from app.workspace.db import Workspace
from app.workspace.import_profiles import (
    profile_documents,
    replace_profile_documents,
    save_profile_document,
)
from app.workspace.policy_store import (
    budget_rows,
    current_policy_mapping,
    delete_provider_invoices,
    delete_user_prices,
    provider_invoice_rows,
    replace_budgets,
    save_policy_mapping,
    upsert_provider_invoice,
)
from app.workspace.prices import (
    delete_discounts,
    save_discount,
    save_price_entry,
    stored_discounts,
    user_price_entries,
)
from exporters.policy_toml import policy_toml
from importers.mapped_csv import profile_from_mapping, profile_to_mapping


class PolicyRejected(ValueError):
    """The policy file has problems; nothing was changed. ``problems`` lists them all."""

    def __init__(self, file: str, problems: list[str]) -> None:
        super().__init__(f"{file}: {len(problems)} problem(s); nothing changed")
        self.problems = [f"{file}: {p}" for p in problems]


@dataclass(frozen=True)
class ApplyResult:
    teams: int
    rules: int
    pools: int
    budgets: int
    prices: int


def read_policy_file(path: Path) -> PolicyDocument:
    """Parse and validate a policy file; raises :class:`PolicyRejected` with every problem."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise PolicyRejected(path.name, ["no such file"]) from None
    except tomllib.TOMLDecodeError as exc:
        raise PolicyRejected(path.name, [f"not valid TOML: {exc}"]) from None
    except UnicodeDecodeError:
        raise PolicyRejected(path.name, ["not UTF-8 text"]) from None
    except RecursionError:
        raise PolicyRejected(path.name, ["nested too deeply to be a policy file"]) from None
    except OSError as exc:
        raise PolicyRejected(path.name, [f"cannot read the file: {exc.strerror}"]) from None
    document, problems = checked_document(data)
    if problems:
        raise PolicyRejected(path.name, problems)
    return document


def checked_document(data: dict[str, Any]) -> tuple[PolicyDocument, list[str]]:
    """A policy mapping read as ``config apply`` reads it, with every problem it has."""
    document, problems = document_from_mapping(data)
    for index, price in enumerate(document.prices, start=1):
        try:
            entry_from_mapping(price)
        except PriceBookError as exc:
            problems.append(f"prices[{index}]: {exc}")
    for index, discount in enumerate(document.discounts, start=1):
        try:
            discount_from_mapping(discount)
        except PriceBookError as exc:
            problems.append(f"discounts[{index}]: {exc}")
    names: set[str] = set()
    for index, item in enumerate(document.import_profiles, start=1):
        profile, found = profile_from_mapping(item)
        problems.extend(f"import_profiles[{index}]: {p}" for p in found)
        if profile.name in names:
            problems.append(f"import_profiles[{index}]: a second profile named {profile.name!r}")
        names.add(profile.name)
    return document, problems


def apply_policy(workspace: Workspace, document: PolicyDocument, source: str) -> ApplyResult:
    """Replace the policy, budgets, price overrides and given provider totals in one go."""
    with workspace.write() as conn:
        record_applied(conn, document, source)
    policy = document.policy
    return ApplyResult(
        len(policy.teams),
        len(policy.rules),
        len(policy.pools),
        len(document.budgets),
        len(document.prices),
    )


def record_applied(conn: Connection, document: PolicyDocument, source: str) -> int:
    """Write ``document`` in the caller's write transaction with its ``policy.apply`` audit
    row; the new policy version."""
    version = write_document(conn, document, source)
    audit.record(
        conn,
        "policy.apply",
        version=version,
        source=source,
        teams=len(document.policy.teams),
        rules=len(document.policy.rules),
    )
    return version


def write_document(
    conn: Connection,
    document: PolicyDocument,
    source: str,
    *,
    replace_provider_totals: bool = False,
) -> int:
    """Replace everything ``config apply`` replaces, in the caller's transaction; returns the
    new policy version. Provider totals the document does not give are kept, unless
    ``replace_provider_totals`` (an undo restores exactly what was there); the same for
    import mapping profiles."""
    version = save_policy_mapping(conn, document_to_mapping(document), source)
    replace_budgets(
        conn,
        [
            {"team": b.team, "month": b.month, "product": b.product, "amount": f"{b.amount:f}"}
            for b in document.budgets
        ],
    )
    delete_user_prices(conn)
    for price in document.prices:
        save_price_entry(conn, entry_from_mapping(price), note=f"policy {source}")
    delete_discounts(conn)
    for item in document.discounts:
        found = discount_from_mapping(item)
        note = str(item.get("note") or f"policy {source}")
        save_discount(
            conn, ContractDiscount(found.percent, found.effective_from, found.model, note)
        )
    given = [profile_to_mapping(profile_from_mapping(p)[0]) for p in document.import_profiles]
    if replace_provider_totals:
        replace_profile_documents(conn, given)
        delete_provider_invoices(conn)
    else:
        for profile in given:  # like provider totals: those the file does not give stay
            save_profile_document(conn, profile)
    for invoice in document.provider_invoices:
        upsert_provider_invoice(conn, invoice.period, f"{invoice.total:f}", invoice.invoice_number)
    return int(version)


def apply_policy_file(
    workspace: Workspace, path: Path, *, allow_empty: bool = False
) -> ApplyResult:
    """Validate and apply a policy file; a file without teams needs ``allow_empty``."""
    document = read_policy_file(path)
    if not document.policy.teams and not allow_empty:
        raise PolicyRejected(
            path.name,
            [
                "the policy has no teams: applying it would remove every team, rule, pool and "
                "budget; if that is what you want, apply it with --allow-empty"
            ],
        )
    return apply_policy(workspace, document, source=path.name)


def current_document(workspace: Workspace) -> PolicyDocument:
    """The policy in force with the workspace's budgets, price overrides and provider totals."""
    with workspace.engine.connect() as conn:
        return document_in(conn)


def document_in(conn: Connection) -> PolicyDocument:
    """:func:`current_document` as ``conn`` sees the workspace."""
    mapping = current_policy_mapping(conn)
    budgets = budget_rows(conn)
    prices = user_price_entries(conn)
    discounts = stored_discounts(conn)
    invoices = provider_invoice_rows(conn)
    profiles = profile_documents(conn)
    document, _ = document_from_mapping(mapping or {})
    document.import_profiles = profiles
    document.budgets = [
        Budget(b["team"], b["month"], Decimal(b["amount"]), b["product"]) for b in budgets
    ]
    document.prices = [price_mapping(p) for p in prices]
    document.discounts = [discount_mapping(d) for d in discounts]
    document.provider_invoices = [
        ProviderInvoiceEntry(i["period"], Decimal(i["total"]), i["invoice_number"])
        for i in invoices
    ]
    return document


def price_mapping(entry: PriceEntry) -> dict[str, str]:
    """A price override as the policy file writes it."""
    return {
        "model": entry.model,
        "effective_from": entry.effective_from.isoformat(),
        **{
            name: f"{getattr(entry, name):f}"
            for name in ("input", "output", *OPTIONAL_RATE_FIELDS)
            if getattr(entry, name) is not None
        },
    }


def discount_mapping(discount: ContractDiscount) -> dict[str, str]:
    """A contract discount as the policy file writes it."""
    return {
        **({"model": discount.model} if discount.model else {}),
        "effective_from": discount.effective_from.isoformat(),
        "discount_percent": f"{discount.percent:f}",
        **({"note": discount.note} if discount.note else {}),
    }


def comparable(mapping: dict[str, Any]) -> dict[str, Any]:
    """A valid policy document's mapping in one canonical form: what it says, whatever the
    order of its budgets, prices, discounts and provider totals, the way its numbers are
    written, or the notes given to discounts (a stored discount gets a default note)."""
    document, _ = checked_document(mapping)
    found = document_to_mapping(document)
    found["budgets"] = sorted(
        found.get("budgets", []), key=lambda b: (b["month"], b["team"], b.get("product", ""))
    )
    found["prices"] = sorted(
        (price_mapping(entry_from_mapping(p)) for p in document.prices),
        key=lambda p: (p["model"], p["effective_from"]),
    )
    found["discounts"] = sorted(
        (
            {k: v for k, v in discount_mapping(discount_from_mapping(d)).items() if k != "note"}
            for d in document.discounts
        ),
        key=lambda d: (d.get("model", ""), d["effective_from"]),
    )
    found["provider_invoices"] = sorted(
        found.get("provider_invoices", []), key=lambda i: i["period"]
    )
    found["import_profiles"] = sorted(
        (profile_to_mapping(profile_from_mapping(p)[0]) for p in document.import_profiles),
        key=lambda p: str(p["name"]),
    )
    return found


def export_policy_file(workspace: Workspace, path: Path) -> None:
    path.write_text(policy_toml(document_to_mapping(current_document(workspace))), encoding="utf-8")
