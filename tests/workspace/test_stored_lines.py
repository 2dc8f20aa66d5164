"""What an import stores is every line of its frame, value for value, whether a column varies
from line to line or is the same in all of them (then written into the statement once)."""

import shutil
import tempfile
from functools import cache
from pathlib import Path

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.line_columns import USAGE_COLUMNS, USAGE_COUNT_COLUMNS
from app.workspace.db import create_workspace, open_workspace
from app.workspace.imports import BatchRecord, write_import

counts = st.one_of(st.just(0), st.just(7), st.integers(0, 10**12))
line = st.fixed_dictionaries(
    {
        "day": st.sampled_from(["2026-09-30", "2026-10-01", "2026-10-31"]),
        "model": st.sampled_from(["claude-sonnet-4-6", "claude-haiku-4-5"]),
        "api_key": st.sampled_from(["", "key-a", "key-b"]),
        **{name: counts for name in USAGE_COUNT_COLUMNS},
        "code_execution_hours": st.sampled_from([None, "0.5"]),
        "provided_cost": st.sampled_from([None, "1.25", "0.000001"]),
    }
)


@cache
def _empty_workspace() -> Path:
    """One new workspace for the whole run; each example works on a copy."""
    folder = Path(tempfile.mkdtemp(prefix="stored-lines-"))
    create_workspace(folder / "empty.cbdesk").dispose()
    return folder / "empty.cbdesk"


def _text(value):
    return None if value is None or value != value else value  # NaN: no value


def _frame(lines: list[dict], constant: set[str]) -> pd.DataFrame:
    first = lines[0]
    rows = [{**line, **{name: first[name] for name in constant}} for line in lines]
    frame = pd.DataFrame(rows)
    for name in USAGE_COLUMNS:
        if name not in frame:
            frame[name] = ""
    return frame[list(USAGE_COLUMNS)]


@settings(max_examples=25, deadline=None)
@given(
    st.lists(line, min_size=1, max_size=12),
    st.sets(st.sampled_from([*USAGE_COUNT_COLUMNS, "code_execution_hours", "provided_cost"])),
)
def test_every_line_is_stored_as_it_was_read(lines, constant):
    frame = _frame(lines, constant)
    record = BatchRecord(
        "f.csv", "/f.csv", "h", "gateway-csv", "usage", "gateway", 1, 0, 0, 0, None, None, None
    )
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copy(_empty_workspace(), Path(tmp) / "w.cbdesk")
        workspace = open_workspace(Path(tmp) / "w.cbdesk")
        try:
            with workspace.write() as conn:
                write_import(conn, record, frame, {})
            with workspace.engine.connect() as conn:
                stored = conn.exec_driver_sql(
                    "SELECT u.day, u.period, k.model, d.api_key, "
                    + ", ".join(f"u.{name}" for name in USAGE_COUNT_COLUMNS)
                    + ", u.code_execution_hours, u.provided_cost FROM usage_lines u "
                    "JOIN line_keys k ON k.id = u.line_key_id "
                    "JOIN dimension_sets d ON d.id = u.dimension_set_id"
                ).all()
        finally:
            workspace.dispose()
    expected = [
        (
            r["day"],
            r["day"][:7],
            r["model"],
            r["api_key"],
            *(r[name] for name in USAGE_COUNT_COLUMNS),
            _text(r["code_execution_hours"]),
            _text(r["provided_cost"]),
        )
        for r in frame.to_dict("records")
    ]
    assert sorted(map(tuple, stored), key=repr) == sorted(expected, key=repr)
