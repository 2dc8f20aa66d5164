"""Helpers for importer tests: read a file (or inline text) with one importer."""

from __future__ import annotations

from pathlib import Path

from importers.base import ImportedData, ReadContext
from importers.sniff import sample_file


def read_with(importer, path: Path, **options: str) -> tuple[ImportedData, ReadContext]:
    sample = sample_file(path)
    ctx = ReadContext(path=path, sample=sample, options=dict(options))
    return importer.read(ctx), ctx


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path
