"""Writing the policy file (TOML) from its plain mapping, in CONTRACT.md's layout."""

from __future__ import annotations

import json
import re
from typing import Any

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
HEADER = (
    "# Chargeback Desk policy: taxonomy, mapping rules, pools, settings, budgets, price\n"
    "# overrides, contract discounts and import mapping profiles. Edit and re-apply with:\n"
    "#   chargeback-desk --workspace W config apply FILE\n"
)
SECTION_ORDER = (
    "departments",
    "teams",
    "products",
    "environments",
    "rules",
    "pools",
    "budgets",
    "prices",
    "discounts",
    "provider_invoices",
    "import_profiles",
    "model_rules",
)


def _key(name: str) -> str:
    return name if _BARE_KEY.match(name) else _value(name)


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        # JSON escapes the other control characters; TOML also forbids a raw DEL.
        return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"cannot write {value!r} to TOML")


def policy_toml(data: dict[str, Any]) -> str:
    """TOML text for a policy mapping (``document_to_mapping``); reads back identically."""
    lines = [HEADER, f"version = {_value(data.get('version', 1))}", ""]
    settings = data.get("settings")
    if settings:
        lines.append("[settings]")
        lines += [f"{_key(k)} = {_value(v)}" for k, v in settings.items()]
        lines.append("")
    for section in SECTION_ORDER:
        for table in data.get(section, []):
            lines.append(f"[[{section}]]")
            lines += [f"{_key(k)} = {_value(v)}" for k, v in table.items()]
            lines.append("")
    return "\n".join(lines)
