"""Light and dark: the window follows the operating system's colour scheme (or
``CHARGEBACK_DESK_THEME=light|dark``), its style sheet, charts and table colours together."""

from __future__ import annotations

import os
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication


@dataclass(frozen=True)
class Theme:
    name: str
    window: str
    panel: str
    border: str
    text: str
    muted: str
    header: str
    alternate: str
    chart_background: str
    axis_text: str
    warning_text: str


LIGHT = Theme(
    "light",
    "#f6f8fb",
    "white",
    "#dde3ea",
    "#1b2430",
    "#5b6675",
    "#eef2f7",
    "#f7f9fc",
    "w",
    "#39424e",
    "#c0392b",
)
DARK = Theme(
    "dark",
    "#161b22",
    "#1f2630",
    "#30394a",
    "#e6edf3",
    "#9aa5b1",
    "#273140",
    "#232b36",
    "#1f2630",
    "#c9d1d9",
    "#ff7b72",
)


def current() -> Theme:
    """The theme in force: the environment's choice, else the system's colour scheme."""
    chosen = os.environ.get("CHARGEBACK_DESK_THEME", "").lower()
    if chosen in ("light", "dark"):
        return DARK if chosen == "dark" else LIGHT
    app = QGuiApplication.instance()
    if app is not None:
        scheme = QGuiApplication.styleHints().colorScheme()
        if scheme == Qt.ColorScheme.Dark:
            return DARK
    return LIGHT


def style_sheet(theme: Theme) -> str:
    t = theme
    return f"""
QMainWindow, QWidget#page {{ background: {t.window}; color: {t.text}; }}
QLabel {{ color: {t.text}; }}
QFrame#kpiCard {{ background: {t.panel}; border: 1px solid {t.border}; border-radius: 6px; }}
QLabel#kpiLabel {{ color: {t.muted}; font-size: 11px; }}
QLabel#kpiValue {{ color: {t.text}; font-size: 20px; font-weight: 600; }}
QLabel#kpiValue[warning="true"] {{ color: {t.warning_text}; }}
QLabel#sectionTitle {{ color: {t.text}; font-size: 13px; font-weight: 600; padding-top: 4px; }}
QLabel#pageNote {{ color: {t.muted}; }}
QLabel#warningNote {{ color: {t.warning_text}; }}
QLabel#readOnlyBanner {{ color: {t.warning_text}; font-weight: 600; padding: 0 8px; }}
QLabel#pageTitle {{ color: {t.text}; font-size: 18px; font-weight: 600; }}
QMenuBar, QToolBar, QStatusBar {{ background: {t.window}; color: {t.text}; }}
QMenuBar::item {{ background: transparent; color: {t.text}; }}
QToolButton {{ color: {t.text}; }}
QListWidget#nav {{ background: #1f2a37; color: #d5dde7; border: none; font-size: 13px; }}
QListWidget#nav::item {{ padding: 10px 14px; }}
QListWidget#nav::item:selected {{ background: #2f3f52; color: white; }}
QTableView {{ background: {t.panel}; color: {t.text}; border: 1px solid {t.border};
  gridline-color: {t.border}; alternate-background-color: {t.alternate}; }}
QHeaderView::section {{ background: {t.header}; color: {t.text}; border: none;
  padding: 4px 6px; font-weight: 600; }}
"""
