"""Canonical lines every reader produces, and the rollups that aggregate them on import.

Usage lines are rolled up per day × every raw dimension × model × tier × geo × context window
× speed × prompt band (CHARGEBACK_MATH.md §3 names the dimensions), so a million requests
become a few thousand lines.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

import pandas as pd

from app.domain.line_columns import (
    DIMENSION_COLUMNS,
    PRICING_COLUMNS,
    PROVIDER_INVOICE_COLUMNS,
    STATEMENT_COLUMNS,
    STATEMENT_KEY_COLUMNS,
    USAGE_COLUMNS,
    USAGE_COUNT_COLUMNS,
    USAGE_KEY_COLUMNS,
)
from app.domain.model_ids import normalise_model_id
from app.domain.money import MONEY_CONTEXT, format_exact
from app.domain.usage import LONG_CONTEXT, LONG_PROMPT_TOKENS, prompt_band
from importers.fields import day_bounds, iso

__all__ = [
    "DIMENSION_COLUMNS",
    "PRICING_COLUMNS",
    "PROVIDER_INVOICE_COLUMNS",
    "STATEMENT_COLUMNS",
    "STATEMENT_KEY_COLUMNS",
    "USAGE_COLUMNS",
    "USAGE_COUNT_COLUMNS",
    "USAGE_KEY_COLUMNS",
]

SERVICE_TIERS = {"standard", "batch", "priority", "priority_on_demand", "flex", "flex_discount"}


def service_tier(raw: str) -> str:
    """Canonical tier name; unknown values are kept lower-cased, empty means standard."""
    value = raw.strip().lower().replace(" ", "_").replace("-", "_")
    if value in ("", "message", "messages", "default"):
        return "standard"
    if value in ("batch_api", "batches", "message_batch", "message_batches"):
        return "batch"
    return value


def context_window(raw: str) -> str:
    """``0-200k`` / ``200k-1M`` from API values or Console labels (``≤ 200k``, ``> 200k``)."""
    value = raw.strip().replace(" ", "")
    lower = value.lower()
    if not lower:
        return ""
    if lower in ("0-200k", "≤200k", "<=200k", "<200k", "200k"):
        return "0-200k"
    if lower in ("200k-1m", ">200k", "200k+", "1m"):
        return "200k-1M"
    return value


def request_context_window(given: str, prompt_tokens: int) -> str:
    """The context window of one request: the source's own, or — where it gives none — a
    prompt over :data:`LONG_PROMPT_TOKENS` is long context (§1)."""
    if given:
        return given
    return LONG_CONTEXT if prompt_tokens > LONG_PROMPT_TOKENS else ""


def speed(raw: str) -> str:
    """``fast`` for fast mode however a source spells it; other values kept lower-cased."""
    return raw.strip().lower()


def inference_geo(raw: str) -> str:
    value = raw.strip().lower()
    return "" if value in ("", "null") else value


@dataclass
class CoverageTracker:
    """The span of time a file covers on each day: (earliest start, latest end)."""

    spans: dict[str, tuple[str, str]] = field(default_factory=dict)

    def add(self, day: str, start: str, end: str) -> None:
        current = self.spans.get(day)
        if current is None:
            self.spans[day] = (start, end)
        else:
            self.spans[day] = (min(current[0], start), max(current[1], end))

    def add_instant(self, moment: datetime) -> None:
        stamp = iso(moment)
        self.add(stamp[:10], stamp, stamp)

    def add_day(self, day: str) -> None:
        start, end = day_bounds(day)
        self.add(day, start, end)

    def add_bucket(self, start: datetime, end: datetime) -> None:
        """A bucket ``[start, end)``; a bucket spanning midnight is split per day."""
        s, e = iso(start), iso(end)
        day = s[:10]
        while True:
            day_start, day_end = day_bounds(day)
            self.add(day, max(s, day_start), min(e, day_end))
            if e <= day_end:
                break
            day = day_end[:10]

    def result(self) -> dict[str, tuple[str, str]]:
        return dict(sorted(self.spans.items()))


@dataclass
class UsageRollup:
    """Accumulates usage rows into lines keyed by :data:`USAGE_KEY_COLUMNS`."""

    lines: dict[tuple, list] = field(default_factory=dict)
    coverage: CoverageTracker = field(default_factory=CoverageTracker)

    def add(
        self,
        *,
        day: str,
        model: str,
        service_tier: str = "standard",
        inference_geo: str = "",
        context_window: str = "",
        speed: str = "",
        prompt_tokens: int | None = None,
        api_key: str = "",
        api_key_id: str = "",
        workspace: str = "",
        workspace_id: str = "",
        user: str = "",
        service_account: str = "",
        tags: str = "",
        input_tokens: int = 0,
        cache_write_5m_tokens: int = 0,
        cache_write_1h_tokens: int = 0,
        cache_read_tokens: int = 0,
        output_tokens: int = 0,
        web_searches: int = 0,
        requests: int = 0,
        code_execution_hours: Decimal | None = None,
        provided_cost: Decimal | None = None,
        provided_list_cost: Decimal | None = None,
        normalise_model: bool = True,
    ) -> None:
        """Add one row; ``prompt_tokens`` is the prompt size of a single request (per-request
        sources), ``None`` where the row sums requests: it decides the prompt band (§1). A sum
        without tokens (a cost of its own) has no band to know."""
        model = normalise_model_id(model) if normalise_model else model
        banded = (
            prompt_tokens is not None
            or (input_tokens or cache_write_5m_tokens or cache_write_1h_tokens or cache_read_tokens)
            or output_tokens
        )
        key = (
            day,
            model,
            service_tier,
            inference_geo,
            context_window,
            speed,
            prompt_band(model, prompt_tokens) if banded else "",
            api_key,
            api_key_id,
            workspace,
            workspace_id,
            user,
            service_account,
            tags,
        )
        sums = self.lines.get(key)
        if sums is None:
            sums = [0, 0, 0, 0, 0, 0, 0, None, None, None]
            self.lines[key] = sums
        sums[0] += input_tokens
        sums[1] += cache_write_5m_tokens
        sums[2] += cache_write_1h_tokens
        sums[3] += cache_read_tokens
        sums[4] += output_tokens
        sums[5] += web_searches
        sums[6] += requests
        if code_execution_hours is not None:
            sums[7] = (
                code_execution_hours
                if sums[7] is None
                else MONEY_CONTEXT.add(sums[7], code_execution_hours)
            )
        earlier_cost = sums[8]
        if provided_cost is not None:
            sums[8] = (
                provided_cost if sums[8] is None else MONEY_CONTEXT.add(sums[8], provided_cost)
            )
        # Once a row of the line has a list price, the line's list price is every row's list
        # price — a row without one is at list (its cost).
        if provided_list_cost is not None:
            base = sums[9] if sums[9] is not None else (earlier_cost or Decimal(0))
            sums[9] = MONEY_CONTEXT.add(base, provided_list_cost)
        elif provided_cost is not None and sums[9] is not None:
            sums[9] = MONEY_CONTEXT.add(sums[9], provided_cost)

    def frame(self) -> pd.DataFrame:
        rows = [
            (
                *key,
                *sums[:7],
                None if sums[7] is None else format_exact(sums[7]),
                None if sums[8] is None else format_exact(sums[8]),
                None if sums[9] is None else format_exact(sums[9]),
            )
            for key, sums in self.lines.items()
        ]
        return usage_frame(rows)


def usage_frame(rows: list[tuple]) -> pd.DataFrame:
    # Plain Python objects, not Arrow-backed strings: the workspace reads them straight back.
    frame = pd.DataFrame(rows, columns=list(USAGE_COLUMNS), dtype=object)
    for column in USAGE_COUNT_COLUMNS:
        frame[column] = frame[column].astype("int64")
    return frame


@dataclass
class StatementRollup:
    """Accumulates statement rows (billed amounts) keyed by :data:`STATEMENT_KEY_COLUMNS`."""

    lines: dict[tuple, list] = field(default_factory=dict)
    coverage: CoverageTracker = field(default_factory=CoverageTracker)

    def add(
        self,
        *,
        day: str,
        amount: Decimal,
        list_amount: Decimal | None = None,
        model: str = "",
        workspace: str = "",
        workspace_id: str = "",
        api_key: str = "",
        api_key_id: str = "",
        service_tier: str = "",
        context_window: str = "",
        inference_geo: str = "",
        token_type: str = "",
        cost_type: str = "",
        description: str = "",
        currency: str = "USD",
    ) -> None:
        key = (
            day,
            normalise_model_id(model),
            workspace,
            workspace_id,
            api_key,
            api_key_id,
            service_tier,
            context_window,
            inference_geo,
            token_type,
            cost_type,
            description,
            currency,
        )
        sums = self.lines.get(key)
        if sums is None:
            self.lines[key] = [amount, list_amount]
            return
        sums[0] = MONEY_CONTEXT.add(sums[0], amount)
        if list_amount is not None:
            sums[1] = list_amount if sums[1] is None else MONEY_CONTEXT.add(sums[1], list_amount)

    def frame(self) -> pd.DataFrame:
        rows = [
            (*key, format_exact(s[0]), None if s[1] is None else format_exact(s[1]))
            for key, s in self.lines.items()
        ]
        frame = pd.DataFrame(rows, columns=list(STATEMENT_COLUMNS), dtype=object)
        if frame.empty:
            frame = pd.DataFrame({c: pd.Series(dtype="object") for c in STATEMENT_COLUMNS})
        return frame
