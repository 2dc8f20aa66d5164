"""Strict field parsers shared by the readers; each raises :class:`RowProblem` on bad input."""

from __future__ import annotations

import json
import os
import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from app.domain.money import AmountError, parse_decimal
from importers.base import RowProblem

_INT = re.compile(r"^[+-]?\d+$")
_INTEGRAL_FLOAT = re.compile(r"^[+-]?\d+\.0*$")
TRUE_WORDS = {"true", "1", "yes", "y", "t"}
FALSE_WORDS = {"false", "0", "no", "n", "f", ""}
NULL_WORDS = {"", "null", "none", "nan"}


def is_null(value: object) -> bool:
    return value is None or (isinstance(value, str) and value.strip().lower() in NULL_WORDS)


_UNPRINTABLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)
"""Control characters (terminal escapes, NUL) and bidirectional controls: never part of a
name, and dangerous on a terminal, in a spreadsheet or a file name. Tabs and line breaks stay."""


def text(value: object) -> str:
    """A dimension value as text; nulls become ``""``; control characters are dropped."""
    if value is None:
        return ""
    if isinstance(value, str):
        stripped = _UNPRINTABLE.sub("", value).strip()
        return "" if stripped.upper() == "NULL" else stripped
    return str(value)


MAX_TOKENS_PER_ROW = 10**12
"""No request, hour or day of one key comes near a trillion tokens: more is a broken file."""


def count(value: object, column: str) -> int:
    """A non-negative whole number; empty means 0."""
    if value is None:
        return 0
    if isinstance(value, bool):
        raise RowProblem(column, f"not a whole number: {value!r}")
    if isinstance(value, int):
        number = value
    elif isinstance(value, Decimal):
        if not value.is_finite() or value != value.to_integral_value():
            raise RowProblem(column, f"not a whole number: {value}")
        number = int(value)
    elif isinstance(value, float):
        if not value.is_integer():
            raise RowProblem(column, f"not a whole number: {value!r}")
        number = int(value)
    else:
        raw = str(value).strip()
        if raw == "":
            return 0
        if _INT.match(raw):
            number = int(raw)
        elif _INTEGRAL_FLOAT.match(raw):
            number = int(raw.split(".")[0])
        else:
            raise RowProblem(column, f"not a whole number: {raw!r}")
    if number < 0:
        raise RowProblem(column, f"must not be negative: {number}")
    if number > MAX_TOKENS_PER_ROW:
        raise RowProblem(column, f"{number} is more than {MAX_TOKENS_PER_ROW:,} in one row")
    return number


def boolean(value: object, column: str) -> bool:
    if value is None or isinstance(value, bool):
        return bool(value)
    raw = str(value).strip().lower()
    if raw in TRUE_WORDS:
        return True
    if raw in FALSE_WORDS:
        return False
    raise RowProblem(column, f"not true/false: {value!r}")


def money(
    value: object, column: str, *, decimal_comma: bool = False, allow_negative: bool = True
) -> Decimal | None:
    """An exact amount; ``None`` for an empty/NULL field. JSON floats are read by their text."""
    if is_null(value):
        return None
    if isinstance(value, float):
        # JSON numbers are parsed with parse_float=Decimal by our readers; this is a fallback
        # that keeps the shortest text that round-trips, never the binary expansion.
        value = repr(value)
    try:
        amount = parse_decimal(
            value if isinstance(value, (str, int, Decimal)) else str(value),
            decimal_comma=decimal_comma,
        )
    except AmountError:
        raise RowProblem(column, f"not an amount: {value!r}") from None
    if not allow_negative and amount < 0:
        raise RowProblem(column, f"must not be negative: {amount}")
    return amount


_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


EARLIEST_DAY = date(2020, 1, 1)
"""No Claude usage or bill is older than this: an earlier date is a mistake in the file."""
TODAY_VARIABLE = "CHARGEBACK_DESK_TODAY"
"""Pins "today" (YYYY-MM-DD) for reproducible runs and tests."""


def today() -> date:
    """Today in UTC, or the day pinned with ``CHARGEBACK_DESK_TODAY``."""
    pinned = os.environ.get(TODAY_VARIABLE, "").strip()
    return date.fromisoformat(pinned) if pinned else datetime.now(UTC).date()


def latest_day() -> date:
    """The last day a usage or cost row may fall on: tomorrow (UTC; time zones run ahead)."""
    return today() + timedelta(days=1)


def check_day(moment: datetime, column: str) -> datetime:
    """Refuse instants before 2020 or after tomorrow (UTC)."""
    day = moment.date()
    if day < EARLIEST_DAY:
        raise RowProblem(column, f"dated {day.isoformat()}, before 2020: not a usage date")
    latest = latest_day()
    if day > latest:
        raise RowProblem(
            column, f"dated {day.isoformat()}, in the future (after {latest.isoformat()})"
        )
    return moment


def timestamp(value: object, column: str) -> datetime:
    """An instant in UTC from ISO 8601 (``Z``, offsets, space or ``T``) or a bare date,
    between 2020 and tomorrow."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            return check_day(datetime.fromtimestamp(float(value), tz=UTC), column)
        except (OverflowError, OSError, ValueError):
            raise RowProblem(column, f"not a date/time: {value!r}") from None
    raw = text(value)
    if not raw:
        raise RowProblem(column, "missing date/time")
    try:
        if _DATE_ONLY.match(raw):
            parsed = datetime.combine(date.fromisoformat(raw), datetime.min.time(), UTC)
        else:
            parsed = datetime.fromisoformat(raw.replace("Z", "+00:00").replace("z", "+00:00"))
            parsed = parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed
            parsed = parsed.astimezone(UTC)
    except ValueError:
        raise RowProblem(column, f"not a date/time: {raw!r}") from None
    except OverflowError:
        raise RowProblem(column, f"not a date/time that exists in UTC: {raw!r}") from None
    return check_day(parsed, column)


def iso(moment: datetime) -> str:
    """Canonical UTC text ``2026-10-01T08:15:02Z`` (sub-seconds kept when present)."""
    text_value = moment.astimezone(UTC).isoformat()
    return text_value.replace("+00:00", "Z")


def day_bounds(day_text: str) -> tuple[str, str]:
    start = datetime.combine(date.fromisoformat(day_text), datetime.min.time(), UTC)
    return iso(start), iso(start + timedelta(days=1))


def tags_json(tags: dict[str, str]) -> str:
    """Canonical JSON of a tag map: sorted keys, no empty values, compact."""
    clean = {k: v for k, v in tags.items() if v != ""}
    if not clean:
        return ""
    return json.dumps(clean, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def loads_exact(raw: str) -> object:
    """``json.loads`` with floats kept exact as ``Decimal``."""
    return json.loads(raw, parse_float=Decimal)
