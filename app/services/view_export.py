"""Writing a table the user is looking at to a file: CSV or an Excel workbook, by the suffix.

Amounts are exact: decimals go to Excel as numbers and to CSV as their full text. Text a
spreadsheet would run as a formula is written as text.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path


def _as_text(value: object) -> object:
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, str) and value[:1] in "=+-@":
        return "'" + value
    return value


def _xlsx_cell(sheet: object, value: object) -> object:
    if isinstance(value, str) and value.startswith("="):
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(sheet, value)  # type: ignore[arg-type]
        cell.data_type = "s"  # text, not a formula
        return cell
    return value


def write_table(
    path: Path, heading: str, header: Sequence[str], rows: Iterable[Sequence[object]]
) -> Path:
    """``rows`` under ``header``, after a first line naming what they are (``heading``)."""
    if path.suffix.lower() == ".xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet("Explore")
        sheet.append([heading])
        sheet.append(list(header))
        for row in rows:
            sheet.append([_xlsx_cell(sheet, v) for v in row])
        book.save(path)
        return path
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([f"# {heading}"])
        writer.writerow(header)
        writer.writerows([_as_text(v) for v in row] for row in rows)
    return path
