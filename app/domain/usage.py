"""Usage quantities of a rolled-up line and the names of their token types."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

TOKEN_TYPES: tuple[str, ...] = (
    "input",
    "cache_write_5m",
    "cache_write_1h",
    "cache_read",
    "output",
)
"""Token types in the order of CHARGEBACK_MATH.md §1."""

TOKEN_TYPE_LABELS: dict[str, str] = {
    "input": "Input (uncached)",
    "cache_write_5m": "Cache write 5m",
    "cache_write_1h": "Cache write 1h",
    "cache_read": "Cache read",
    "output": "Output",
}

SERVICE_TIER_BATCH = "batch"
GEO_US = "us"
LONG_CONTEXT = "200k-1M"
STANDARD_CONTEXT = "0-200k"
LONG_PROMPT_TOKENS = 200_000
"""A request whose prompt (input, cache reads and cache writes) is longer is a long-context
request: on Sonnet 4.5 and Sonnet 4 every token of it pays the long-context rates (§1)."""


@dataclass(frozen=True)
class TokenCounts:
    """Integer token counts per type."""

    input: int = 0
    cache_write_5m: int = 0
    cache_write_1h: int = 0
    cache_read: int = 0
    output: int = 0

    def total(self) -> int:
        return (
            self.input + self.cache_write_5m + self.cache_write_1h + self.cache_read + self.output
        )

    def as_dict(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in TOKEN_TYPES}


@dataclass(frozen=True)
class PricingKey:
    """Everything a price depends on: model, date and the tier/geo/context modifiers."""

    model: str
    day: date
    service_tier: str = "standard"
    inference_geo: str = ""
    context_window: str = ""
    speed: str = ""
    """``fast`` for fast mode; anything else is standard speed."""
    prompt_band: str = ""
    """:data:`BAND_LOW`, :data:`BAND_HIGH` or :data:`BAND_UNKNOWN` on a model with prompt
    bands (see :func:`prompt_band`); empty on every other model."""


SPEED_FAST = "fast"

BAND_LOW = "low"
BAND_HIGH = "high"
BAND_UNKNOWN = "unknown"
"""The band of a line from an aggregated source (daily sums, no prompt sizes): priced at the
low band and named in reconciliation (§1)."""
PROMPT_BAND_LIMITS: dict[str, int] = {"claude-haiku-5-5": 100_000}
"""Models priced by prompt band, and the longest prompt (input, cache reads and cache writes)
of their low band: a longer request pays the high band on every token (§1)."""


def prompt_band(model: str, prompt_tokens: int | None) -> str:
    """The band of one request of ``model`` whose prompt is ``prompt_tokens`` long (``None``:
    not known, the source sums requests); empty for a model without prompt bands."""
    limit = PROMPT_BAND_LIMITS.get(model)
    if limit is None:
        return ""
    if prompt_tokens is None:
        return BAND_UNKNOWN
    return BAND_HIGH if prompt_tokens > limit else BAND_LOW


@dataclass(frozen=True)
class UsageQuantities:
    """What a line consumed: tokens, server tools, and a cost when the source gave one."""

    tokens: TokenCounts = field(default_factory=TokenCounts)
    web_searches: int = 0
    code_execution_hours: Decimal = Decimal(0)
    provided_cost: Decimal | None = None
    provided_list_cost: Decimal | None = None
    """The list (undiscounted) price of ``provided_cost``, where the source gives one."""

    def has_priceable_usage(self) -> bool:
        return self.tokens.total() > 0 or self.web_searches > 0 or self.code_execution_hours > 0
