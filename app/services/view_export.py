"""Writing a table the user is looking at to a file: CSV or an Excel workbook, by the suffix.

Amounts are exact: CSV has their full text; Excel has them as numbers to compute with and, in
a column beside, as exact text (a spreadsheet number keeps about 15 significant digits). Text a
spreadsheet would run as a formula is written as text.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _as_text(value: object) -> object:
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return "" if value is None else value


def _xlsx_cell(sheet: object, value: object) -> object:
    if isinstance(value, str) and value.startswith("="):
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(sheet, value)  # type: ignore[arg-type]
        cell.data_type = "s"  # text, not a formula
        return cell
    return value


def write_table(
    path: Path,
    heading: str,
    header: Sequence[str],
    rows: Iterable[Sequence[object]],
    amount_column: int | None = None,
) -> Path:
    """``rows`` under ``header``, after a first line naming what they are (``heading``);
    ``amount_column`` holds exact decimals (or ``None``: blank)."""
    if path.suffix.lower() == ".xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet("Explore")
        sheet.append([heading])
        exact = amount_column is not None
        sheet.append([*header, f"{header[amount_column]}_exact"] if exact else list(header))
        for row in rows:
            cells = [_xlsx_cell(sheet, v) for v in row]
            if amount_column is not None:
                amount = row[amount_column]
                cells.append(None if amount is None else f"{amount:f}")
            sheet.append(cells)
        book.save(path)
        return path
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([f"# {heading}"])
        writer.writerow(header)
        writer.writerows([_as_text(v) for v in row] for row in rows)
    return path
