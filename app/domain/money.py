"""Exact money: parsing, rounding to cents and formatting of ``Decimal`` amounts.

Every amount on a money path is a ``Decimal``; binary floats are refused outright so that a
float can never slip in unnoticed.
"""

from __future__ import annotations

import decimal
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

ZERO = Decimal(0)
CENT = Decimal("0.01")

# Enough digits for sums of trillions of tokens times four-decimal rates, with room to spare.
MONEY_CONTEXT = decimal.Context(prec=60, rounding=ROUND_HALF_UP, traps=[InvalidOperation])

_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+$")


class AmountError(ValueError):
    """A text is not an exact decimal amount."""


def parse_decimal(text: str | int | Decimal, *, decimal_comma: bool = False) -> Decimal:
    """Parse a decimal number exactly; floats are refused.

    ``decimal_comma`` accepts ``3,60`` (the style of ``;``-separated European exports).
    A lone thousands separator such as ``1,234.56`` is not accepted: it is ambiguous.
    """
    if isinstance(text, (bool, float)):
        raise AmountError(f"binary float not allowed on a money path: {text!r}")
    if isinstance(text, Decimal):
        if not text.is_finite():
            raise AmountError(f"not a finite number: {text!r}")
        return _in_range(text)
    if isinstance(text, int):
        return _in_range(Decimal(text))
    raw = text.strip()
    if decimal_comma and _DECIMAL_COMMA.match(raw):
        raw = raw.replace(",", ".")
    if not _PLAIN_NUMBER.match(raw):
        raise AmountError(f"not a number: {text!r}")
    return _in_range(Decimal(raw))


MAX_MAGNITUDE = 15
"""Amounts and rates stay below 10^15 (a quadrillion): more is a broken file, not a bill."""
MIN_EXPONENT = -40
"""Finer than 10^-40 is noise that would only slow exact arithmetic down."""


def _in_range(amount: Decimal) -> Decimal:
    if amount and amount.adjusted() >= MAX_MAGNITUDE:
        raise AmountError(f"out of range: {amount}")
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and exponent < MIN_EXPONENT:
        raise AmountError(f"more decimal places than any amount has: {amount}")
    return amount


def add(*amounts: Decimal) -> Decimal:
    """Exact sum of amounts (no context rounding)."""
    total = ZERO
    for amount in amounts:
        total = MONEY_CONTEXT.add(total, amount)
    return total


def round_cents(amount: Decimal) -> Decimal:
    """Round half-up (away from zero) to whole cents, for display and documents only; a credit
    smaller than half a cent is 0.00, never -0.00."""
    rounded = amount.quantize(CENT, rounding=ROUND_HALF_UP, context=MONEY_CONTEXT)
    return abs(rounded) if rounded == 0 else rounded


def format_money(amount: Decimal) -> str:
    """Machine format used in JSON and CSV: two decimals, no separators (``"8800.00"``)."""
    return f"{round_cents(amount):f}"


def format_money_display(amount: Decimal, currency: str = "USD", places: int = 2) -> str:
    """Human format with thousands separators and a currency sign (``"$8,800.00"``); a unit
    cost may show more ``places`` (``"$0.0035"``), rounded half up like cents."""
    if places == 2:
        rounded = round_cents(amount)
    else:
        step = Decimal(1).scaleb(-places)
        rounded = amount.quantize(step, rounding=ROUND_HALF_UP, context=MONEY_CONTEXT)
        rounded = abs(rounded) if rounded == 0 else rounded
    sign = "-" if rounded < 0 else ""
    symbol = "$" if currency == "USD" else f"{currency} "
    return f"{sign}{symbol}{abs(rounded):,.{places}f}"


def format_exact(amount: Decimal) -> str:
    """Full-precision plain text of a decimal, without exponent or trailing zeros."""
    if amount == 0:
        return "0"
    text = f"{amount.normalize(context=MONEY_CONTEXT):f}"
    return text
