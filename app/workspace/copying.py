"""Copying every row of a workspace into a new one, file or server, in either direction.

Rows keep their ids (lines name their imports, keys and dimension sets by id), money its exact
text. The copy gets its own data version (what cached results are filed under), so nothing
computed for the source is mistaken for the copy's.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection, Integer, Table, func, select

from app.workspace.portable_sql import copy_rows, on_server
from app.workspace.schema import (
    audit_log,
    batch_coverage,
    budgets,
    business_metrics,
    closed_periods,
    contract_discounts,
    dimension_sets,
    disputes,
    exchange_rates,
    import_batches,
    import_profiles,
    line_keys,
    period_dimension_sets,
    policy_versions,
    price_entries,
    provider_invoices,
    request_ids,
    settings,
    statement_lines,
    usage_lines,
)

COPIED_TABLES: tuple[Table, ...] = (
    settings,
    import_batches,
    batch_coverage,
    dimension_sets,
    line_keys,
    period_dimension_sets,
    usage_lines,
    statement_lines,
    provider_invoices,
    price_entries,
    contract_discounts,
    audit_log,
    import_profiles,
    policy_versions,
    budgets,
    request_ids,
    closed_periods,
    business_metrics,
    exchange_rates,
    disputes,
)
"""Every table with the workspace's own data, each after the tables it refers to."""
CHUNK_ROWS = 20_000


def row_counts(conn: Connection) -> dict[str, int]:
    """The number of rows of each copied table."""
    return {
        table.name: int(conn.execute(select(func.count()).select_from(table)).scalar() or 0)
        for table in COPIED_TABLES
    }


def copy_tables(
    source: Connection,
    target: Connection,
    progress: Callable[[str, int], None] = lambda _table, _rows: None,
) -> dict[str, int]:
    """Copy every row of ``source``'s tables into ``target``'s empty ones (inside the caller's
    transactions); the rows copied per table. ``progress(table, rows so far)``."""
    copied = {}
    for table in COPIED_TABLES:
        names = list(table.c.keys())
        order = list(table.primary_key.columns)
        result = source.execution_options(yield_per=CHUNK_ROWS).execute(
            select(*table.c).order_by(*order)
        )
        count = 0
        for chunk in result.partitions():
            rows = [tuple(row) for row in chunk]
            if on_server(target):
                copy_rows(target, table.name, names, rows)
            else:
                target.execute(table.insert(), [dict(zip(names, r, strict=True)) for r in rows])
            count += len(rows)
            progress(table.name, count)
        copied[table.name] = count
    if on_server(target):
        _continue_numbering(target)
    return copied


def _continue_numbering(target: Connection) -> None:
    """Ids copied as they were: a server's sequences go on after the highest."""
    from sqlalchemy import text

    for table in COPIED_TABLES:
        if "id" in table.c and table.c.id.primary_key and isinstance(table.c.id.type, Integer):
            target.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f"COALESCE(MAX(id), 0) + 1, false) FROM {table.name}"
                )
            )
