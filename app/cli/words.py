"""Counts in words for the command line: a number and its noun agree."""

from __future__ import annotations


def counted(number: int, noun: str, plural: str | None = None) -> str:
    """``1 row``, ``2 rows``, ``1,200 price entries``: a count and its noun, agreeing."""
    word = noun if number == 1 else (plural or noun + "s")
    return f"{number:,} {word}"
