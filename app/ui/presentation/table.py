"""A table as the views show it: columns with alignment, rows of display text, a total row."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Column:
    """A column: its header and whether it holds numbers (right-aligned)."""

    title: str
    numeric: bool = False


@dataclass
class TableState:
    """What a table widget displays; ``total`` is shown last, in bold."""

    columns: list[Column]
    rows: list[list[str]] = field(default_factory=list)
    total: list[str] | None = None
    empty_text: str = "No data"
    alerts: dict[int, str] = field(default_factory=dict)
    """Rows that need attention: row index → ``"over"`` (red) or ``"warning"`` (amber)."""

    def row_count(self) -> int:
        return len(self.rows) + (1 if self.total is not None and self.rows else 0)

    def cell(self, row: int, column: int) -> str:
        if row < len(self.rows):
            return self.rows[row][column]
        return self.total[column] if self.total is not None else ""

    def alert(self, row: int) -> str | None:
        return self.alerts.get(row) if row < len(self.rows) else None

    def is_total(self, row: int) -> bool:
        return self.total is not None and row == len(self.rows)

    def tsv(self, rows: list[int]) -> str:
        """The header and the given rows (the total row included when chosen) as tab-separated
        text, for the clipboard: a spreadsheet pastes it into cells."""
        lines = [[c.title for c in self.columns]]
        lines += [
            [self.cell(row, column) for column in range(len(self.columns))]
            for row in sorted(set(rows))
            if 0 <= row < self.row_count()
        ]
        return "\n".join("\t".join(v.replace("\t", " ") for v in line) for line in lines)
