"""The demo company's Claude usage, May–October 2026, written as real export files.

The seed story of PRODUCT.md: five teams spend $15,000 a month (Data 8,000, Product 2,000,
Engineering 3,000, Support 1,500, Research 500) until chargeback starts in August; then Data
fixes its batch pipeline (3,000), Product ships a feature (3,500), Engineering moves its tests to
Haiku (1,200), Support turns on caching (800) and Research stays at 500 — $9,000. A Platform
team's evaluation jobs (~$600) are shared cost, and a little gateway traffic carries no team tag.
November is in progress (data to the 12th), on the current models (Opus 5.5, Sonnet 5.5):
Research's experiment runs ahead of its budget and a runaway CI loop on 6 November shows as an
anomaly. On 3 November a new Admin API key for a growth pilot appears that no rule maps yet:
its cost waits in the Unallocated queue.

Everything is generated from a fixed seed: the same call writes the same bytes.
"""

from __future__ import annotations

import calendar
import json
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

MONTHS = ((2026, 5), (2026, 6), (2026, 7), (2026, 8), (2026, 9), (2026, 10), (2026, 11))
AS_OF = date(2026, 11, 12)
"""The demo's today: November is the month in progress (for forecasts)."""
RESEARCH_EXPERIMENT = date(2026, 11, 1)
"""From November, Research runs a large Opus experiment: on track to exceed its budget."""
CI_RUNAWAY_DAY = date(2026, 11, 6)
"""A CI review loop misfires for a day: eight times Engineering's usual spend (an anomaly)."""
PILOT_KEY_FROM = date(2026, 11, 3)
"""A new API key (a growth team's pilot) starts; the demo policy has no rule for it."""
AFTER_CHARGEBACK = date(2026, 8, 1)
SEED = 20260501
GATEWAY_HEADER = (
    "timestamp,request_id,team,department,product,environment,model,input_tokens,"
    "output_tokens,cache_read_input_tokens,cache_creation_input_tokens,is_batch,"
    "web_searches\n"
)
CONSOLE_HEADER = (
    "usage_date_utc,model_version,api_key,workspace,usage_type,context_window,"
    "usage_input_tokens_no_cache,usage_input_tokens_cache_write_5m,"
    "usage_input_tokens_cache_write_1h,usage_input_tokens_cache_read,"
    "usage_output_tokens,web_search_count,inference_geo,speed\n"
)
# USD per million tokens of the built-in price book, for sizing volumes only.
RATES = {
    "claude-opus-4-7": (5, 25),
    "claude-sonnet-4-6": (3, 15),
    "claude-haiku-4-5": (1, 5),
    "claude-opus-5-5": (4, 20),
    "claude-sonnet-5-5": (2, 10),
}
CURRENT_MODELS_FROM = date(2026, 11, 1)
"""In November the teams run the current generation: Opus 5.5 and Sonnet 5.5."""
CURRENT_MODELS = {"claude-opus-4-7": "claude-opus-5-5", "claude-sonnet-4-6": "claude-sonnet-5-5"}


def _model_of(model: str, day: date) -> str:
    return CURRENT_MODELS.get(model, model) if day >= CURRENT_MODELS_FROM else model


@dataclass(frozen=True)
class Workload:
    """One team's way of using Claude in a month: a request shape and a monthly budget."""

    model: str
    monthly_cost: int
    input_tokens: int
    output_tokens: int
    cache_read_tokens: int = 0
    cache_write_tokens: int = 0
    batch: bool = False

    def unit_cost(self) -> Decimal:
        rate_in, rate_out = (Decimal(r) for r in RATES[self.model])
        factor = Decimal("0.5") if self.batch else Decimal(1)
        micro = (
            self.input_tokens * rate_in
            + self.output_tokens * rate_out
            + self.cache_read_tokens * rate_in * Decimal("0.1")
            + self.cache_write_tokens * rate_in * Decimal("1.25")
        )
        return micro * factor / Decimal(1_000_000)


def _before(day: date) -> bool:
    return day < AFTER_CHARGEBACK


GATEWAY_TEAMS = {
    # tag value, department, (product, environment) choices
    "data": (
        "data-team",
        "analytics",
        (("etl", "prod"), ("etl", "prod"), ("reporting", "prod"), ("reporting", "staging")),
    ),
    "product": (
        "product",
        "product",
        (
            ("assistant", "prod"),
            ("assistant", "prod"),
            ("assistant", "staging"),
            ("search", "prod"),
        ),
    ),
    "unmapped": ("", "", (("", ""),)),
}


def gateway_workload(team: str, day: date) -> Workload:
    before = _before(day)
    if team == "data":
        return Workload(
            _model_of("claude-opus-4-7", day),
            8000 if before else 3000,
            120_000,
            12_000,
            batch=not before,
        )
    if team == "product":
        return Workload(
            _model_of("claude-sonnet-4-6", day),
            2000 if before else 3500,
            60_000,
            6_000,
            200_000,
            4_000,
        )
    return Workload(_model_of("claude-sonnet-4-6", day), 140 if before else 120, 30_000, 3_000)


API_KEYS = {
    "support": ("apikey_01SupportBot", "wrkspc_01CustomerSuccess"),
    "research": ("apikey_01Research", "wrkspc_01Research"),
    "platform": ("apikey_01PlatformEval", "wrkspc_01Platform"),
    "pilot": ("apikey_01GrowthPilot", "wrkspc_01Sandbox"),
}


def api_workload(team: str, day: date) -> Workload:
    before = _before(day)
    if team == "support":
        if before:
            return Workload("claude-haiku-4-5", 1500, 3_000, 400, 200)
        return Workload("claude-haiku-4-5", 800, 400, 400, 2_600, 100)
    if team == "research":
        budget = 1100 if day >= RESEARCH_EXPERIMENT else 500
        return Workload(_model_of("claude-opus-4-7", day), budget, 20_000, 3_000)
    if team == "pilot":
        return Workload(_model_of("claude-sonnet-4-6", day), 450, 12_000, 2_000, 4_000)
    return Workload(_model_of("claude-sonnet-4-6", day), 600, 8_000, 1_500, 10_000)


CONSOLE_KEYS = (("eng-ci-review", Decimal("0.6")), ("eng-copilot", Decimal("0.4")))


def console_workload(day: date) -> Workload:
    if _before(day):
        return Workload("claude-sonnet-4-6", 3000, 10_000, 1_200, 5_000)
    return Workload("claude-haiku-4-5", 1200, 10_000, 1_200, 5_000)


def _day_weights(rng: random.Random, year: int, month: int) -> list[tuple[date, float]]:
    days = calendar.monthrange(year, month)[1]
    weights = []
    for number in range(1, days + 1):
        day = date(year, month, number)
        base = 0.35 if day.weekday() >= 5 else 1.0
        weights.append((day, base * rng.uniform(0.85, 1.15)))
    total = sum(w for _, w in weights)
    return [(day, w / total) for day, w in weights if day <= AS_OF]


def _units(workload: Workload, share: float) -> float:
    return workload.monthly_cost * share / float(workload.unit_cost())


def write_gateway_log(path: Path, rng: random.Random) -> int:
    """One row per request for the gateway-tagged teams; returns the number of rows."""
    rows = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(GATEWAY_HEADER)
        for year, month in MONTHS:
            for day, share in _day_weights(rng, year, month):
                lines = []
                for team, (tag, department, places) in GATEWAY_TEAMS.items():
                    workload = gateway_workload(team, day)
                    count = max(1, round(_units(workload, share)))
                    for n in range(count):
                        seconds = rng.randrange(86_400)
                        stamp = datetime(day.year, day.month, day.day) + timedelta(seconds=seconds)
                        product, environment = places[rng.randrange(len(places))]
                        jitter = rng.uniform(0.7, 1.3)
                        lines.append(
                            (
                                stamp,
                                (
                                    f"{stamp.isoformat()}Z,req_{team[:3]}_{day:%Y%m%d}_{n:05d},{tag},"
                                    f"{department},{product},{environment},{workload.model},"
                                    f"{round(workload.input_tokens * jitter)},"
                                    f"{round(workload.output_tokens * jitter)},"
                                    f"{round(workload.cache_read_tokens * jitter)},"
                                    f"{round(workload.cache_write_tokens * jitter)},"
                                    f"{'true' if workload.batch else 'false'},0\n"
                                ),
                            )
                        )
                lines.sort(key=lambda item: item[0])
                out.write("".join(line for _, line in lines))
                rows += len(lines)
    return rows


def _api_result(team: str, workload: Workload, units: float) -> dict:
    key_id, workspace_id = API_KEYS[team]
    return {
        "api_key_id": key_id,
        "workspace_id": workspace_id,
        "model": workload.model,
        "service_tier": "batch" if workload.batch else "standard",
        "context_window": "0-200k",
        "inference_geo": "global",
        "account_id": None,
        "service_account_id": None,
        "uncached_input_tokens": round(workload.input_tokens * units),
        "cache_creation": {
            "ephemeral_5m_input_tokens": round(workload.cache_write_tokens * units),
            "ephemeral_1h_input_tokens": 0,
        },
        "cache_read_input_tokens": round(workload.cache_read_tokens * units),
        "output_tokens": round(workload.output_tokens * units),
        "server_tool_use": {"web_search_requests": 0},
    }


def write_usage_report(path: Path, year: int, month: int, rng: random.Random) -> None:
    """One Admin API usage report page with daily buckets for the API-key teams."""
    buckets = []
    for day, share in _day_weights(rng, year, month):
        start = datetime(day.year, day.month, day.day)
        results = [
            _api_result(team, api_workload(team, day), _units(api_workload(team, day), share))
            for team in API_KEYS
            if team != "pilot" or day >= PILOT_KEY_FROM
        ]
        buckets.append(
            {
                "starting_at": f"{start.isoformat()}Z",
                "ending_at": f"{(start + timedelta(days=1)).isoformat()}Z",
                "results": results,
            }
        )
    page = {"data": buckets, "has_more": False, "next_page": None}
    path.write_text(json.dumps(page, indent=1), encoding="utf-8")


def write_console_usage(path: Path, rng: random.Random) -> None:
    """Console usage export (14 columns, daily) for Engineering's two keys."""
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(CONSOLE_HEADER)
        for year, month in MONTHS:
            for day, share in _day_weights(rng, year, month):
                workload = console_workload(day)
                for key, key_share in CONSOLE_KEYS:
                    units = _units(workload, share) * float(key_share)
                    if day == CI_RUNAWAY_DAY and key == "eng-ci-review":
                        units *= 8
                    out.write(
                        f"{day.isoformat()},{workload.model},{key},Engineering,standard,"
                        f"\u2264 200k,{round(workload.input_tokens * units)},0,0,"
                        f"{round(workload.cache_read_tokens * units)},"
                        f"{round(workload.output_tokens * units)},0,global,\n"
                    )


def write_demo_files(folder: Path) -> list[Path]:
    """Write every demo export into ``folder``; returns the files in import order."""
    rng = random.Random(SEED)
    gateway = folder / "gateway_requests_2026-05_to_2026-11.csv"
    write_gateway_log(gateway, rng)
    reports = []
    for year, month in MONTHS:
        report = folder / f"anthropic_usage_report_{year}-{month:02d}.json"
        write_usage_report(report, year, month, rng)
        reports.append(report)
    console = folder / "console_usage_2026-05_to_2026-11.csv"
    write_console_usage(console, rng)
    return [gateway, *reports, console]
