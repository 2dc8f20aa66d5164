"""Use case: import business metrics (``period, team, metric, value``) from a CSV."""

from __future__ import annotations

from pathlib import Path

from app.domain.money import AmountError, parse_decimal
from app.domain.periods import is_month
from app.services.invoices import load_policy
from app.services.small_tables import TableFileRejected, read_table
from app.workspace import audit
from app.workspace.db import Workspace
from app.workspace.metrics import replace_metrics


def import_metrics_csv(workspace: Workspace, path: Path) -> int:
    """All rows valid or nothing changes; problems name file, line and column."""
    teams = load_policy(workspace).team_names()
    rows, problems = [], []
    for where, row in read_table(path, ("period", "team", "metric", "value")):
        if not is_month(row["period"]):
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
        raise TableFileRejected(problems)
    with workspace.write() as conn:
        replace_metrics(conn, rows)
        audit.record(conn, "metrics.import", file=path.name, rows=len(rows))
    return len(rows)
