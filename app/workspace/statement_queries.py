"""Aggregations of statement lines (what the provider billed) for reconciliation."""

from __future__ import annotations

from sqlalchemy import Connection, text

from app.workspace.usage_queries import MONTH_DAYS_SQL


def statement_totals(
    conn: Connection, period: str
) -> list[tuple[str, str, str, str, str, str, str | None]]:
    """``(source, day, model, token_type, cost_type, exact amount, exact list amount)`` summed
    for a period; the list amount is ``None`` where the source reports none (a line without
    one is at list)."""
    rows = conn.execute(
        text(
            "SELECT source, day, model, token_type, cost_type, dec_sum(amount), "
            "CASE WHEN COUNT(list_amount) > 0 THEN dec_sum(COALESCE(list_amount, amount)) END "
            "FROM statement_lines WHERE period = :period "
            "GROUP BY source, day, model, token_type, cost_type"
        ),
        {"period": period},
    )
    return [tuple(row) for row in rows]  # type: ignore[misc]


def usage_gap_counts(conn: Connection, period: str) -> dict[str, int]:
    """Counts of usage lines that cost reports are known to treat differently."""
    row = conn.execute(
        text(
            "SELECT "
            " COUNT(*) FILTER (WHERE k.service_tier IN ('priority', 'priority_on_demand')),"
            " COUNT(*) FILTER (WHERE b.source = 'console-usage-csv' AND d.api_key = ''),"
            " COUNT(*) FILTER (WHERE b.source = 'anthropic-usage-api' AND d.workspace_id = ''),"
            " COUNT(*) FILTER (WHERE b.source = 'anthropic-usage-api' AND d.api_key_id = '')"
            " FROM usage_lines u JOIN dimension_sets d ON d.id = u.dimension_set_id"
            " JOIN line_keys k ON k.id = u.line_key_id"
            " JOIN import_batches b ON b.id = u.batch_id"
            f" WHERE u.period = :period AND {MONTH_DAYS_SQL}"
        ),
        {"period": period},
    ).one()
    keys = ("priority_tier", "console_no_key", "default_workspace", "no_api_key")
    return {k: int(v or 0) for k, v in zip(keys, row, strict=True)}
