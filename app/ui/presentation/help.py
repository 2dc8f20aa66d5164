"""What the Help menu shows (Qt-free): the user guide's text, the keyboard shortcuts of the
window's commands, and the versions of the app and of what it is built on."""

from __future__ import annotations

import platform
from dataclasses import dataclass
from importlib import metadata

import resources
from app import __version__
from app.ui.presentation.table import Column, TableState

GUIDE = "user-guide.md"
COMPONENTS = (
    ("Qt for Python (PySide6)", "PySide6-Essentials"),
    ("pyqtgraph", "pyqtgraph"),
    ("SQLAlchemy", "SQLAlchemy"),
    ("Alembic", "alembic"),
    ("pandas", "pandas"),
    ("PyArrow", "pyarrow"),
    ("openpyxl", "openpyxl"),
)


def guide_text() -> str:
    """The user guide (Markdown), as shipped with the app."""
    return resources.read_text(GUIDE)


@dataclass(frozen=True)
class Command:
    """A command of the window: its menu, its name, and its keys."""

    menu: str
    name: str
    keys: tuple[str, ...]


def shortcuts_table(commands: list[Command]) -> TableState:
    """Every command that has keys, menu by menu."""
    return TableState(
        [Column("Menu"), Column("Command"), Column("Keys")],
        [[c.menu, c.name, ", ".join(c.keys)] for c in commands if c.keys],
        empty_text="No shortcuts",
    )


def component_versions() -> list[tuple[str, str]]:
    """``(name, version)`` of the app, Python, and the libraries it is built on."""
    found = [("Chargeback Desk", __version__), ("Python", platform.python_version())]
    for name, distribution in COMPONENTS:
        try:
            found.append((name, metadata.version(distribution)))
        except metadata.PackageNotFoundError:
            found.append((name, "not installed"))
    return found


def about_text(versions: list[tuple[str, str]], qt_version: str) -> str:
    """The About box (rich text)."""
    rows = "".join(
        f"<tr><td>{name}</td><td>&nbsp;{version}</td></tr>" for name, version in versions
    )
    return (
        f"<h3>Chargeback Desk {__version__}</h3>"
        "<p>Accountable Claude cost per team: showback and chargeback invoices, budgets, "
        "drill-downs and the finance pack, exact to the cent.</p>"
        f"<table>{rows}<tr><td>Qt</td><td>&nbsp;{qt_version}</td></tr></table>"
        f"<p>{platform.system()} {platform.release()} ({platform.machine()})</p>"
    )
