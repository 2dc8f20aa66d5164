"""The monthly report's charts, drawn with QPainter onto images (the same pixels in the PDF
and, as PNG, in the HTML file): twelve months stacked by team, and each team's month against
its budget. Floats for drawing only; the amounts come exact from the report."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPen

from app.ui.presentation.formatting import whole_dollars

SCALE = 2
"""Pixels per point: sharp when printed."""
TEXT, GRID, AXIS = QColor("#1b2430"), QColor("#dde3ea"), QColor("#9aa5b1")
BUDGET_MARK = QColor("#1b2430")


def _canvas(width: int, height: int) -> tuple[QImage, QPainter]:
    image = QImage(width * SCALE, height * SCALE, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.scale(SCALE, SCALE)
    font = QFont("DejaVu Sans")
    font.setPixelSize(11)
    painter.setFont(font)
    return image, painter


def _nice_top(value: float) -> float:
    """A round axis top at or above ``value`` (1, 2, 2.5 or 5 × a power of ten)."""
    if value <= 0:
        return 1.0
    power = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return step * power
    return 10.0 * power


def _y_axis(painter: QPainter, plot: QRectF, top: float, label: str) -> None:
    for i in range(5):
        value = top * i / 4
        y = plot.bottom() - plot.height() * i / 4
        painter.setPen(QPen(GRID, 1))
        painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
        painter.setPen(TEXT)
        painter.drawText(
            QRectF(0, y - 8, plot.left() - 6, 16),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            whole_dollars(value),
        )
    painter.save()
    painter.translate(10, plot.center().y())
    painter.rotate(-90)
    painter.drawText(QRectF(-80, -8, 160, 16), Qt.AlignmentFlag.AlignCenter, label)
    painter.restore()


def _legend(painter: QPainter, x: float, y: float, items: Sequence[tuple[str, QColor]]) -> None:
    for name, colour in items:
        painter.fillRect(QRectF(x, y + 2, 10, 10), colour)
        painter.setPen(TEXT)
        width = painter.fontMetrics().horizontalAdvance(name)
        painter.drawText(QPointF(x + 14, y + 11), name)
        x += width + 30


def stacked_months(
    labels: Sequence[str],
    teams: Sequence[tuple[str, str, Sequence[Decimal]]],
    currency: str,
    width: int = 640,
    height: int = 260,
) -> QImage:
    """One bar per month, stacked by team (``(team, colour, amount per month)``)."""
    image, painter = _canvas(width, height)
    plot = QRectF(78, 30, width - 92, height - 62)
    totals = [sum((t[2][i] for t in teams), Decimal(0)) for i in range(len(labels))]
    top = _nice_top(float(max(totals, default=Decimal(0))))
    _y_axis(painter, plot, top, f"Invoiced ({currency})")
    slot = plot.width() / max(len(labels), 1)
    for i, label in enumerate(labels):
        bottom = plot.bottom()
        for _, colour, values in teams:
            h = plot.height() * float(values[i]) / top
            painter.fillRect(
                QRectF(plot.left() + slot * (i + 0.18), bottom - h, slot * 0.64, h), QColor(colour)
            )
            bottom -= h
        painter.setPen(TEXT)
        painter.drawText(
            QRectF(plot.left() + slot * i, plot.bottom() + 4, slot, 16),
            Qt.AlignmentFlag.AlignCenter,
            label,
        )
    painter.setPen(QPen(AXIS, 1))
    painter.drawLine(plot.bottomLeft(), plot.bottomRight())
    _legend(painter, plot.left(), 6, [(name, QColor(colour)) for name, colour, _ in teams])
    painter.end()
    return image


def budget_bars(
    rows: Sequence[tuple[str, Decimal, Decimal | None, str]],
    currency: str,
    width: int = 640,
    height: int = 240,
) -> QImage:
    """Each team's month (a bar in its status colour) and its budget (a dark mark)."""
    image, painter = _canvas(width, height)
    plot = QRectF(78, 30, width - 92, height - 62)
    values = [float(a) for _, a, _, _ in rows] + [float(b) for _, _, b, _ in rows if b is not None]
    top = _nice_top(max(values, default=0.0))
    _y_axis(painter, plot, top, f"Amount ({currency})")
    slot = plot.width() / max(len(rows), 1)
    for i, (team, actual, budget, colour) in enumerate(rows):
        h = plot.height() * float(actual) / top
        x = plot.left() + slot * i
        painter.fillRect(QRectF(x + slot * 0.25, plot.bottom() - h, slot * 0.5, h), QColor(colour))
        if budget is not None:
            y = plot.bottom() - plot.height() * float(budget) / top
            painter.setPen(QPen(BUDGET_MARK, 3))
            painter.drawLine(QPointF(x + slot * 0.15, y), QPointF(x + slot * 0.85, y))
        painter.setPen(TEXT)
        painter.drawText(QRectF(x, plot.bottom() + 4, slot, 16), Qt.AlignmentFlag.AlignCenter, team)
    painter.setPen(QPen(AXIS, 1))
    painter.drawLine(plot.bottomLeft(), plot.bottomRight())
    _legend(
        painter,
        plot.left(),
        6,
        [
            ("Budget", BUDGET_MARK),
            ("Under", QColor("#4f9a5b")),
            ("Warning", QColor("#d9b32b")),
            ("Over", QColor("#b03a2e")),
            ("No budget", QColor("#9aa5b1")),
        ],
    )
    painter.end()
    return image


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())
