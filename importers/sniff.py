"""Content sniffing: encoding, delimiter, header and a decoded head of a file."""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

HEAD_BYTES = 64 * 1024
DELIMITERS = (",", ";", "\t")


@dataclass(frozen=True)
class FileSample:
    """What identification needs: the decoded first bytes and what they tell."""

    path: Path
    size: int
    encoding: str
    """A Python codec name: ``utf-8``, ``utf-8-sig``, ``utf-16``, ``cp1252``."""
    head: str
    """The first ~64 KiB decoded (a partial last line is possible)."""
    delimiter: str = ","
    header: tuple[str, ...] = field(default_factory=tuple)
    """The first CSV row, stripped; empty for JSON."""

    @property
    def is_json(self) -> bool:
        return self.head.lstrip()[:1] in ("{", "[")

    @property
    def header_lower(self) -> tuple[str, ...]:
        return tuple(h.strip().lower() for h in self.header)

    def has_columns(self, *names: str) -> bool:
        present = set(self.header_lower)
        return all(name.lower() in present for name in names)


def detect_encoding(raw: bytes) -> str:
    """BOMs first; then UTF-16 without BOM (NUL pattern); then strict UTF-8; else cp1252."""
    if raw.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if len(raw) >= 4 and raw[1] == 0 and raw[3] == 0 and raw[0] != 0:
        return "utf-16-le"
    if len(raw) >= 4 and raw[0] == 0 and raw[2] == 0 and raw[1] != 0:
        return "utf-16-be"
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(raw, final=False)
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"


def detect_delimiter(first_line: str) -> str:
    """The delimiter that splits the header into the most fields (quotes respected)."""
    best, best_count = ",", 0
    for delimiter in DELIMITERS:
        try:
            fields = next(csv.reader(io.StringIO(first_line), delimiter=delimiter))
        except (csv.Error, StopIteration):
            continue
        if len(fields) > best_count:
            best, best_count = delimiter, len(fields)
    return best


def sample_file(path: Path) -> FileSample:
    """Read the head of ``path`` and work out encoding, delimiter and header."""
    size = path.stat().st_size
    with path.open("rb") as handle:
        raw = handle.read(HEAD_BYTES)
    encoding = detect_encoding(raw)
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    head = decoder.decode(raw, final=len(raw) == size)
    head = head.lstrip("\ufeff")
    delimiter, header = ",", ()
    stripped = head.lstrip()
    if stripped[:1] not in ("{", "[") and head:
        first_line = head.splitlines()[0] if head.splitlines() else ""
        delimiter = detect_delimiter(first_line)
        try:
            header = tuple(
                f.strip() for f in next(csv.reader(io.StringIO(first_line), delimiter=delimiter))
            )
        except (csv.Error, StopIteration):
            header = ()
    return FileSample(
        path=path, size=size, encoding=encoding, head=head, delimiter=delimiter, header=header
    )


def open_text(sample: FileSample) -> io.TextIOWrapper:
    """Open the file as text in its detected encoding, for the csv module (``newline=''``)."""
    encoding = sample.encoding
    return open(sample.path, encoding=encoding, newline="", errors="strict")
