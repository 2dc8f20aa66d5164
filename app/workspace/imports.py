"""Writing one imported file into the workspace, atomically, replacing overlapped buckets.

An import of a source replaces, day by day, what earlier imports of the same source covered
when the new file's span on that day contains the old one; disjoint spans (hourly log files)
add up; a partial overlap is refused, because neither keeping nor dropping would be right.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Table, delete, exists, select, true

from app.domain.line_columns import (
    DIMENSION_COLUMNS,
    PRICING_COLUMNS,
    PROVIDER_INVOICE_COLUMNS,
    STATEMENT_COLUMNS,
    USAGE_COUNT_COLUMNS,
)
from app.workspace.portable_sql import copy_rows, driver_execute, insert_new_rows, on_server
from app.workspace.schema import (
    batch_coverage,
    closed_periods,
    dimension_sets,
    import_batches,
    line_keys,
    provider_invoices,
    request_ids,
    statement_lines,
    usage_lines,
)
from app.workspace.sqlite_engine import DecimalSum
from app.workspace.usage_queries import UsageAggregate, line_key_values

DIMENSION_FIELDS = DIMENSION_COLUMNS
USAGE_LINE_FIELDS = (
    *USAGE_COUNT_COLUMNS,
    "code_execution_hours",
    "provided_cost",
    "provided_list_cost",
)
DECIMAL_FIELDS = ("code_execution_hours", "provided_cost", "provided_list_cost")
STATEMENT_LINE_FIELDS = tuple(c for c in STATEMENT_COLUMNS if c != "day")
INVOICE_FIELDS = PROVIDER_INVOICE_COLUMNS


class OverlapConflict(Exception):
    """A new file overlaps an earlier import of the same source only partly."""


@dataclass(frozen=True)
class BatchRecord:
    """What is stored about one imported file."""

    file_name: str
    file_path: str
    content_hash: str
    format: str
    kind: str
    source: str
    rows_read: int
    rows_rejected: int
    rows_ignored: int
    duplicates_skipped: int
    period_start: str | None
    period_end: str | None
    cost: str | None
    options: str = ""
    requests_already_imported: int = 0


@dataclass
class Replacement:
    """Earlier lines a new import replaces: ``(batch id, day)`` pairs and a line count."""

    pairs: list[tuple[int, str]] = field(default_factory=list)
    batches: set[int] = field(default_factory=set)


def batch_id_for_hash(conn: Connection, content_hash: str) -> int | None:
    return conn.execute(
        select(import_batches.c.id).where(import_batches.c.content_hash == content_hash)
    ).scalar()


def refuse_alternatives(
    conn: Connection,
    source: str,
    alternatives: Collection[str],
    coverage: Mapping[str, tuple[str, str]],
) -> None:
    """Refuse a file when another source that reports the same usage (``alternatives``: the
    Analytics API's usage, cost and per-user reports) was imported for any of its days:
    importing both would bill that usage twice."""
    others = [s for s in alternatives if s != source]
    if not others or not coverage:
        return
    found = conn.execute(
        select(import_batches.c.id, import_batches.c.file_name, batch_coverage.c.day)
        .join(import_batches, import_batches.c.id == batch_coverage.c.batch_id)
        .where(import_batches.c.source.in_(others))
        .where(batch_coverage.c.day.in_(list(coverage)))
        .order_by(batch_coverage.c.day)
        .limit(1)
    ).first()
    if found is not None:
        batch_id, file_name, day = found
        raise OverlapConflict(
            f"{file_name} (import {batch_id}) already brought the same usage for {day}: the "
            f"Analytics reports (usage, cost, per user) tell one usage several ways, and "
            f"importing two would bill it twice; keep one kind per day (remove the other with "
            f"'chargeback-desk imports remove {batch_id}')"
        )


def plan_replacement(
    conn: Connection,
    source: str,
    coverage: Mapping[str, tuple[str, str]],
    *,
    only_without_ids: bool = False,
) -> Replacement:
    """Which earlier (batch, day) coverage the new file replaces; raises on partial overlap.

    ``only_without_ids`` leaves out earlier imports that stored request ids (their requests
    were recognised one by one instead).
    """
    plan = Replacement()
    if not coverage:
        return plan
    closed = set(conn.execute(select(closed_periods.c.period)).scalars())
    rows = conn.execute(
        select(
            batch_coverage.c.batch_id,
            batch_coverage.c.day,
            batch_coverage.c.start_ts,
            batch_coverage.c.end_ts,
            import_batches.c.file_name,
        )
        .join(import_batches, import_batches.c.id == batch_coverage.c.batch_id)
        .where(import_batches.c.source == source)
        .where(batch_coverage.c.day.in_(list(coverage)))
        .where(
            ~exists().where(request_ids.c.batch_id == batch_coverage.c.batch_id)
            if only_without_ids
            else true()
        )
    ).all()
    for batch_id, day, old_start, old_end, file_name in rows:
        new_start, new_end = coverage[day]
        if new_start <= old_start and new_end >= old_end:
            if day[:7] in closed:
                raise OverlapConflict(
                    f"it would replace usage of {day} from {file_name}, but {day[:7]} is closed; "
                    f"reopen the period first (late, new usage is welcome: it becomes a "
                    f"prior-period line)"
                )
            billed_in = _billed_in(conn, batch_id, day)
            if billed_in:
                raise OverlapConflict(
                    f"it would replace usage of {day} from {file_name} that the closed invoices "
                    f"of {billed_in} billed (as prior-period usage); reopen {billed_in} first"
                )
            plan.pairs.append((batch_id, day))
            plan.batches.add(batch_id)
        elif new_end <= old_start or old_end <= new_start:
            continue
        else:
            raise OverlapConflict(
                f"it overlaps the earlier import of {file_name} on {day} only in part "
                f"({max(new_start, old_start)} to {min(new_end, old_end)}); import a file that "
                f"covers the whole of that earlier export, or remove that import first "
                f"('chargeback-desk imports remove {batch_id}')"
            )
    return plan


def _billed_in(conn: Connection, batch_id: int, day: str) -> str | None:
    """The closed period that billed lines of this import on this day, if any."""
    return conn.execute(
        select(usage_lines.c.billed_period)
        .where(usage_lines.c.batch_id == batch_id)
        .where(usage_lines.c.day == day)
        .where(usage_lines.c.billed_period.is_not(None))
        .limit(1)
    ).scalar()


def _apply_replacement(conn: Connection, plan: Replacement) -> int:
    removed = 0
    for batch_id, day in plan.pairs:
        for table in (usage_lines, statement_lines):
            result = conn.execute(
                delete(table).where(table.c.batch_id == batch_id).where(table.c.day == day)
            )
            removed += result.rowcount or 0
        conn.execute(
            delete(request_ids)
            .where(request_ids.c.batch_id == batch_id)
            .where(request_ids.c.day == day)
        )
        conn.execute(
            delete(batch_coverage)
            .where(batch_coverage.c.batch_id == batch_id)
            .where(batch_coverage.c.day == day)
        )
    return removed


INSERT_SLICE = 50_000
"""Lines turned into Python values and inserted at a time."""


def _codes_and_values(column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Each row's index into the column's distinct values (a missing value is one of them)."""
    if isinstance(column.dtype, pd.CategoricalDtype) and not column.hasnans:
        return column.cat.codes.to_numpy(np.int64), column.cat.categories.to_numpy(object)
    codes, values = pd.factorize(column, use_na_sentinel=False)
    return codes.astype(np.int64), np.asarray(values, dtype=object)


COMBINATION_LIMIT = 1 << 62


def _combinations(frame: pd.DataFrame, columns: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Each row's number among the distinct combinations of ``columns``, and the first row of
    each combination: the columns' codes are combined into one integer per row (renumbered
    whenever the product of their counts would overflow)."""
    number = np.zeros(len(frame), dtype=np.int64)
    bound = 1
    for name in columns:
        codes, values = _codes_and_values(frame[name])
        size = max(len(values), 1)
        if bound * size >= COMBINATION_LIMIT:
            distinct, number = np.unique(number, return_inverse=True)
            number, bound = number.reshape(-1).astype(np.int64), len(distinct)
        number = number * size + codes
        bound *= size
    _, first_rows, rows = np.unique(number, return_index=True, return_inverse=True)
    return rows.reshape(-1), first_rows


def _ids_of_distinct(
    conn: Connection, table: Table, frame: pd.DataFrame, columns: Sequence[str]
) -> np.ndarray:
    """The id in ``table`` of every row's ``columns`` (rows new to the table are added); each
    distinct value is looked up once, however many lines share it."""
    codes, first_rows = _combinations(frame, columns)
    distinct = list(frame[list(columns)].iloc[first_rows].itertuples(index=False, name=None))
    names = table.c.keys()[1:]
    insert_new_rows(conn, table.name, names, distinct)
    quoted = ", ".join(f'"{c}"' for c in names)
    found = driver_execute(conn, f"SELECT id, {quoted} FROM {table.name}")
    ids = {tuple(row[1:]): row[0] for row in found}
    return np.array([ids[key] for key in distinct], dtype=np.int64)[codes]


def _line_key_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """The columns of :data:`line_keys` for every line (see migration 0012): the lines keep
    their pricing fields there only."""
    counts = frame[[c for c in USAGE_COUNT_COLUMNS if c != "requests"]].sum(axis=1)
    hours = frame["code_execution_hours"]
    has_usage = (counts > 0) | (hours.notna() & ~hours.isin(["", "0"]))
    keys = frame[["day", *PRICING_COLUMNS]].copy()
    keys["has_usage"] = has_usage.astype(np.int64)
    keys["has_provided_cost"] = frame["provided_cost"].notna().astype(np.int64)
    return keys


def _list_period_sets(conn: Connection, periods: np.ndarray, dim_ids: np.ndarray) -> None:
    """Add the (period, dimension set) pairs of the lines to :data:`period_dimension_sets`."""
    period_codes, period_values = pd.factorize(periods)
    sets = int(dim_ids.max()) + 1 if len(dim_ids) else 1
    pairs = np.unique(period_codes.astype(np.int64) * sets + dim_ids)
    insert_new_rows(
        conn,
        "period_dimension_sets",
        ("period", "dimension_set_id"),
        zip(period_values[pairs // sets].tolist(), (pairs % sets).tolist(), strict=True),
    )


def _sums_per_key(
    conn: Connection, frame: pd.DataFrame, key_ids: np.ndarray
) -> list[UsageAggregate]:
    """The lines summed per line key, from the frame: what reading the batch back per key
    would give (exact: integer sums, and decimal text summed as ``dec_sum`` sums it)."""
    counts = pd.DataFrame({name: frame[name].to_numpy() for name in USAGE_COUNT_COLUMNS})
    grouped = counts.groupby(key_ids, sort=True)
    sums, lines = grouped.sum(), grouped.size()
    decimals: dict[str, dict[int, DecimalSum]] = {}
    for name in DECIMAL_FIELDS:
        found = decimals[name] = {}
        present = frame[name].notna().to_numpy()
        values = frame[name].to_numpy(dtype=object)
        if name == "provided_list_cost" and present.any():
            # As SUMS_SQL sums it: a line without a list price is at list, once any has one.
            listed = set(key_ids[present].tolist())
            costs = frame["provided_cost"].to_numpy(dtype=object)
            values = np.where(present, values, costs)
            present = frame["provided_cost"].notna().to_numpy() & np.isin(key_ids, list(listed))
        values = values[present]
        for key, value in zip(key_ids[present].tolist(), values.tolist(), strict=True):
            found.setdefault(key, DecimalSum()).step(value)
    meaning = line_key_values(conn)
    result = []
    for key, row in zip(sums.index.tolist(), sums.itertuples(index=False), strict=True):
        hours, cost, list_cost = (decimals[name].get(key) for name in DECIMAL_FIELDS)
        result.append(
            UsageAggregate(
                (),
                *meaning[key],
                int(lines[key]),
                int(row.requests),
                int(row.input_tokens),
                int(row.cache_write_5m_tokens),
                int(row.cache_write_1h_tokens),
                int(row.cache_read_tokens),
                int(row.output_tokens),
                int(row.web_searches),
                None if hours is None else hours.finalize(),
                None if cost is None else cost.finalize(),
                None if list_cost is None else list_cost.finalize(),
            )
        )
    return result


def _line_insert(batch_id: int, frame: pd.DataFrame) -> tuple[str, list[str]]:
    """The ``INSERT`` of the lines, and the columns of :data:`USAGE_LINE_FIELDS` it binds per
    line (after the day, dimension set and line key). A column with one value in every line
    (no cost, no cache writes) is written into the statement once, and the period is taken
    from the day: each value bound costs as much as storing it."""
    names = ["batch_id", "day", "period", "dimension_set_id", "line_key_id"]
    values = [str(batch_id), "?1", "substr(?1, 1, 7)", "?2", "?3"]
    varying = []
    for name in USAGE_LINE_FIELDS:
        column = frame[name]
        if column.isna().all():
            continue  # NULL: the column's default
        first = column.iloc[0]
        if isinstance(first, (int, np.integer)) and (column == first).all():
            names.append(name)
            values.append(str(int(first)))
            continue
        varying.append(name)
        names.append(name)
        values.append(f"?{len(varying) + 3}")
    sql = f"INSERT INTO usage_lines ({', '.join(names)}) VALUES ({', '.join(values)})"
    return sql, varying


def _insert_usage(
    conn: Connection, batch_id: int, frame: pd.DataFrame
) -> tuple[int, list[UsageAggregate]]:
    if frame.empty:
        return 0, []
    day_codes, day_values = _codes_and_values(frame["day"])
    day_values = np.array([str(day) for day in day_values], dtype=object)
    days = day_values[day_codes]
    periods = np.array([day[:7] for day in day_values], dtype=object)[day_codes]
    dim_ids = _ids_of_distinct(conn, dimension_sets, frame, DIMENSION_FIELDS)
    _list_period_sets(conn, periods, dim_ids)
    keys = _line_key_columns(frame)
    key_ids = _ids_of_distinct(conn, line_keys, keys, list(keys.columns))
    # Inserted in (day, dimension set) order: index pages fill one after another.
    day_rank = np.argsort(np.argsort(day_values, kind="stable"), kind="stable")
    order = np.lexsort((dim_ids, day_rank[day_codes]))
    if on_server(conn):
        _copy_usage(conn, int(batch_id), frame, order, (days, periods, dim_ids, key_ids))
        return len(order), _sums_per_key(conn, frame, key_ids)
    insert, varying = _line_insert(int(batch_id), frame)
    columns = [days, dim_ids, key_ids, *(frame[name].to_numpy() for name in varying)]
    raw = conn.connection.driver_connection
    # In slices: Python values of every line at once would cost more than the lines.
    for start in range(0, len(order), INSERT_SLICE):
        rows = order[start : start + INSERT_SLICE]
        raw.executemany(insert, zip(*(column[rows].tolist() for column in columns), strict=True))
    return len(order), _sums_per_key(conn, frame, key_ids)


def _with_nulls(column: pd.Series) -> np.ndarray:
    """The column's values with None for each missing one (COPY writes None as NULL)."""
    return column.astype(object).where(column.notna(), None).to_numpy()


def _copy_usage(
    conn: Connection,
    batch_id: int,
    frame: pd.DataFrame,
    order: np.ndarray,
    keys: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
) -> None:
    """The lines into a server's table with COPY, in ``order``; NULL columns are left out."""
    fields = [name for name in USAGE_LINE_FIELDS if not frame[name].isna().all()]
    names = ["batch_id", "day", "period", "dimension_set_id", "line_key_id", *fields]
    values = [*keys, *(_with_nulls(frame[name]) for name in fields)]
    for start in range(0, len(order), INSERT_SLICE):
        rows = order[start : start + INSERT_SLICE]
        sliced = [column[rows].tolist() for column in values]
        copy_rows(
            conn,
            "usage_lines",
            names,
            zip([batch_id] * len(rows), *sliced, strict=True),
        )


def _insert_statements(conn: Connection, batch_id: int, source: str, frame: pd.DataFrame) -> int:
    if frame.empty:
        return 0
    rows = [
        {
            "batch_id": batch_id,
            "source": source,
            "day": record["day"],
            "period": record["day"][:7],
            **{k: record[k] for k in STATEMENT_LINE_FIELDS},
        }
        for record in frame.to_dict("records")
    ]
    conn.execute(statement_lines.insert(), rows)
    return len(rows)


def _insert_invoices(conn: Connection, batch_id: int, frame: pd.DataFrame) -> tuple[int, int]:
    now = datetime.now(UTC).isoformat(timespec="seconds")
    replaced = 0
    for record in frame.to_dict("records"):
        earlier = conn.execute(
            select(provider_invoices.c.invoice_number).where(
                provider_invoices.c.period == record["period"]
            )
        ).scalar()
        number = record["invoice_number"]
        if earlier and number and earlier != number:
            # A second invoice of the month (a threshold invoice) must not silently replace the
            # first: the true-up would then spread a false credit over the teams.
            raise OverlapConflict(
                f"{record['period']} already has provider invoice {earlier}, and this is "
                f"invoice {number}: when a month has several invoices, enter their sum as the "
                f"month's total (a totals CSV or the policy file's [[provider_invoices]]); a "
                f"corrected invoice replaces the earlier one once its import is removed"
            )
        result = conn.execute(
            delete(provider_invoices).where(provider_invoices.c.period == record["period"])
        )
        replaced += result.rowcount or 0
        conn.execute(
            provider_invoices.insert().values(
                batch_id=batch_id, entered_at=now, **{k: record[k] for k in INVOICE_FIELDS}
            )
        )
    return len(frame), replaced


def write_import(
    conn: Connection,
    record: BatchRecord,
    frame: pd.DataFrame,
    coverage: Mapping[str, tuple[str, str]],
    *,
    by_request_id: bool = False,
    alternatives: Collection[str] = (),
) -> tuple[int, int, int, list[UsageAggregate]]:
    """Store one file inside the caller's transaction: ``(batch id, lines added, replaced,
    the usage lines summed per line key)`` (the sums are empty for other kinds).

    ``by_request_id``: the file's request ids decided what is new against earlier imports
    that stored ids; the covered span still decides against earlier imports without them.
    """
    refuse_alternatives(conn, record.source, alternatives, coverage)
    plan = plan_replacement(conn, record.source, coverage, only_without_ids=by_request_id)
    replaced = _apply_replacement(conn, plan)
    _release_superseded(conn, plan.batches)
    now = datetime.now(UTC).isoformat(timespec="seconds")
    batch_id = conn.execute(
        import_batches.insert().values(
            imported_at=now, lines_added=0, lines_replaced=replaced, **record.__dict__
        )
    ).inserted_primary_key[0]
    usage: list[UsageAggregate] = []
    if record.kind == "usage":
        added, usage = _insert_usage(conn, batch_id, frame)
    elif record.kind == "statement":
        added = _insert_statements(conn, batch_id, record.source, frame)
    else:
        added, replaced_invoices = _insert_invoices(conn, batch_id, frame)
        replaced += replaced_invoices
    if coverage:
        conn.execute(
            batch_coverage.insert(),
            [
                {"batch_id": batch_id, "day": day, "start_ts": start, "end_ts": end}
                for day, (start, end) in coverage.items()
            ],
        )
    conn.execute(
        import_batches.update()
        .where(import_batches.c.id == batch_id)
        .values(
            lines_added=added,
            lines_replaced=replaced,
            replaced_batches=",".join(str(b) for b in sorted(plan.batches)),
        )
    )
    return batch_id, added, replaced, usage


def _release_superseded(conn: Connection, batches: set[int]) -> None:
    """An import with no day left (every day replaced) gives up its content hash: importing
    its file again is then a real import, not "already imported"."""
    for batch_id in batches:
        left = conn.execute(
            select(batch_coverage.c.day).where(batch_coverage.c.batch_id == batch_id).limit(1)
        ).first()
        if left is None:
            conn.execute(
                import_batches.update()
                .where(import_batches.c.id == batch_id)
                .values(
                    content_hash="superseded:" + str(batch_id) + ":" + import_batches.c.content_hash
                )
            )


def set_batch_cost(conn: Connection, batch_id: int, cost: str) -> None:
    conn.execute(import_batches.update().where(import_batches.c.id == batch_id).values(cost=cost))
