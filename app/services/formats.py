"""Use case: list the import formats (``formats``)."""

from __future__ import annotations

from dataclasses import dataclass

from importers import all_importers


@dataclass(frozen=True)
class FormatInfo:
    id: str
    kind: str
    label: str


def list_formats() -> list[FormatInfo]:
    return [FormatInfo(i.id, i.kind, i.label) for i in all_importers()]
