"""Regular expressions for mapping rules, run by RE2: linear time in the length of the value,
so no pattern (``(a+)+$``) can hang a month's computation. Patterns RE2 cannot run
(backreferences, look-around) are refused when the policy is validated."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import re2

_OPTIONS: Any = re2.Options()
_OPTIONS.log_errors = False  # the message reaches the user as a validation problem instead


class PatternError(ValueError):
    """The pattern is not a regular expression RE2 can run; the message says why."""


def compile_regex(pattern: str) -> Callable[[str], bool]:
    """A predicate: does ``pattern`` match anywhere in a value (like ``re.search``)?"""
    try:
        compiled: Any = re2.compile(pattern, _OPTIONS)
    except re2.error as exc:
        message = exc.args[0] if exc.args else str(exc)
        if isinstance(message, bytes):
            message = message.decode("utf-8", "replace")
        raise PatternError(str(message)) from None
    return lambda value: compiled.search(value) is not None
