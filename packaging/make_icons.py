"""Render resources/icon.svg to icon.png (256 px), icon.ico (Windows; PNG entries of 16 to
256 px) and icon.icns (macOS; PNG entries of 128 to 1024 px) with Qt. Run from the repository
root after changing the SVG."""

from __future__ import annotations

import struct
import sys
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ICO_SIZES = (16, 32, 48, 256)
ICNS_TYPES = ((b"ic07", 128), (b"ic08", 256), (b"ic09", 512), (b"ic10", 1024))


def render(renderer: QSvgRenderer, size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(0)
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    return image


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data)


def ico(images: list[tuple[int, bytes]]) -> bytes:
    """An ICO file whose entries are PNG images (Windows Vista and later read them)."""
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = 6 + 16 * len(images)
    entries, payload = b"", b""
    for size, png in images:
        side = size % 256  # 0 means 256
        entries += struct.pack(
            "<BBBBHHII", side, side, 0, 0, 1, 32, len(png), offset + len(payload)
        )
        payload += png
    return header + entries + payload


def icns(images: list[tuple[bytes, bytes]]) -> bytes:
    """An ICNS file of PNG entries (macOS 10.7 and later read them)."""
    body = b"".join(kind + struct.pack(">I", 8 + len(png)) + png for kind, png in images)
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def main() -> None:
    _app = QGuiApplication(sys.argv)
    renderer = QSvgRenderer("resources/icon.svg")
    render(renderer, 256).save("resources/icon.png")
    images = [(size, png_bytes(render(renderer, size))) for size in ICO_SIZES]
    Path("resources/icon.ico").write_bytes(ico(images))
    entries = [(kind, png_bytes(render(renderer, size))) for kind, size in ICNS_TYPES]
    Path("resources/icon.icns").write_bytes(icns(entries))


if __name__ == "__main__":
    main()
