"""Hostile or broken files: one clear message, no traceback, workspace unchanged."""

import pytest
from sqlalchemy import func, select

from app.services.importing import REJECTED, import_file
from app.workspace.schema import import_batches


def nothing_stored(workspace):
    with workspace.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(import_batches)).scalar() == 0


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "empty"),
        (b"PK\x03\x04rest-of-a-zip", "Excel workbook"),
        (b"%PDF-1.7 ...", "PDF"),
        (b"\x89PNG\r\n\x1a\n\x00\x00binary", "not a format"),
        (b"timestamp,model,input_tokens,output_tokens\n", "no data rows"),
        (
            b"timestamp,model,input_tokens,output_tokens\n2026-10-01T00:00:00Z,claude-haiku-4-5,1\x00,2\n",
            "not a whole number",
        ),
        (b"[" * 100_000 + b"]" * 100_000, "not a format"),
        (b'{"data": [{"starting_at": "x", "results": [], "uncached_input_tokens": 1}', "JSON"),
        (
            b'timestamp,model,input_tokens,output_tokens\n"2026-10-01T00:00:00Z,claude',
            "has 1 fields",
        ),
    ],
)
def test_rejected_cleanly(workspace, tmp_path, content, expected):
    path = tmp_path / "hostile.csv"
    path.write_bytes(content)
    report = import_file(workspace, path)
    assert report.status == REJECTED
    assert expected in " ".join(report.problems())
    assert nothing_stored(workspace)


def test_ragged_row_names_its_line(workspace, tmp_path):
    path = tmp_path / "ragged.csv"
    path.write_text(
        "timestamp,model,input_tokens,output_tokens\n2026-10-01T00:00:00Z,claude-haiku-4-5,1,2,3\n"
    )
    report = import_file(workspace, path)
    assert report.status == REJECTED
    assert report.problems()[-1] == "ragged.csv: line 2: has 5 fields, the header has 4"
    assert nothing_stored(workspace)


def test_missing_file(workspace, tmp_path):
    report = import_file(workspace, tmp_path / "nope.csv")
    assert report.status == REJECTED and report.message == "no such file"
