"""Small CSV tables the user keeps by hand (budgets, business metrics): read whole, checked."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path


class TableFileRejected(ValueError):
    """A hand-kept CSV has problems; nothing changed. ``problems`` names file, line, column."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(f"{len(problems)} problem(s); nothing changed")
        self.problems = problems


def read_table(path: Path, required: tuple[str, ...]) -> Iterator[tuple[str, dict[str, str]]]:
    """Yield ``("file: line N", {lower-case column: stripped value})`` for every row."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise TableFileRejected([f"{path.name}: cannot read ({exc})"]) from None
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in reader.fieldnames or []]
    missing = [c for c in required if c not in header]
    if missing:
        raise TableFileRejected([f"{path.name}: no column {', '.join(missing)}"])
    for line, raw in enumerate(reader, start=2):
        row = {k.strip().lower(): (v or "").strip() for k, v in raw.items() if k}
        yield f"{path.name}: line {line}", row
