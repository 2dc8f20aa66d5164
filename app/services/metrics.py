"""Use case: import business metrics (``period, team, metric, value``) from a CSV."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from app.domain.money import AmountError, parse_decimal
from app.services.budgets import BudgetFileRejected
from app.services.invoices import load_policy
from app.workspace import audit
from app.workspace.db import Workspace
from app.workspace.metrics import replace_metrics

_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def import_metrics_csv(workspace: Workspace, path: Path) -> int:
    """All rows valid or nothing changes; problems name file, line and column."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise BudgetFileRejected([f"{path.name}: cannot read ({exc})"]) from None
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in reader.fieldnames or []]
    missing = [c for c in ("period", "team", "metric", "value") if c not in header]
    if missing:
        raise BudgetFileRejected([f"{path.name}: no column {', '.join(missing)}"])
    teams = load_policy(workspace).team_names()
    rows, problems = [], []
    for line, raw in enumerate(reader, start=2):
        row = {k.strip().lower(): (v or "").strip() for k, v in raw.items() if k}
        where = f"{path.name}: line {line}"
        if not _MONTH.match(row["period"]):
            problems.append(f"{where}, column 'period': not YYYY-MM: {row['period']!r}")
        if row["team"] not in teams:
            problems.append(f"{where}, column 'team': unknown team {row['team']!r}")
        if not row["metric"]:
            problems.append(f"{where}, column 'metric': empty")
        try:
            value = parse_decimal(row["value"])
            if value <= 0:
                problems.append(f"{where}, column 'value': must be positive")
        except AmountError:
            problems.append(f"{where}, column 'value': not a number: {row['value']!r}")
            continue
        rows.append(
            {
                "period": row["period"],
                "team": row["team"],
                "metric": row["metric"],
                "value": f"{value:f}",
            }
        )
    if problems:
        raise BudgetFileRejected(problems)
    with workspace.engine.begin() as conn:
        replace_metrics(conn, rows)
        audit.record(conn, "metrics.import", file=path.name, rows=len(rows))
    return len(rows)
