"""The done-when of the pricing issue: a gateway log with one request of each row of the §1
price table — in each prompt band, fast and standard, US and global, batch and not, before and
after 2026-10-07 — is priced to the exact decimal the table gives.

The expected costs are written from the table by hand: a row's five rates (input / cache write
5m / cache write 1h / cache read / output) added up, then multiplied as §1 says. Nothing here
asks the code under test for a rate.
"""

from decimal import Decimal

from app.services.importing import import_file
from app.services.reporting import cost_report

# Sum of the five rates of each row (USD per million tokens of each type), by hand.
SHORT = {  # prompts of 40,000 tokens: the low band, no long context
    "claude-fable-5-1": "92.75",  # 10 + 12.50 + 20 + 0.25 + 50
    "claude-mythos-5-1": "92.75",
    "claude-fable-5": "93.50",  # 10 + 12.50 + 20 + 1 + 50
    "claude-mythos-5": "93.50",
    "claude-opus-5-5": "37.20",  # 4 + 5 + 8 + 0.20 + 20
    "claude-opus-5": "46.75",  # 5 + 6.25 + 10 + 0.50 + 25
    "claude-opus-4-8": "46.75",
    "claude-opus-4-7": "46.75",
    "claude-opus-4-6": "46.75",
    "claude-opus-4-5": "46.75",
    "claude-opus-4-1": "140.25",  # 15 + 18.75 + 30 + 1.50 + 75
    "claude-opus-4": "140.25",
    "claude-3-opus": "140.25",
    "claude-sonnet-5-5": "18.70",  # 2 + 2.50 + 4 + 0.20 + 10 (cache read 0.10 from 10-07)
    "claude-sonnet-5": "18.70",
    "claude-sonnet-4-6": "28.05",  # 3 + 3.75 + 6 + 0.30 + 15
    "claude-3-7-sonnet": "28.05",
    "claude-sonnet-4-5": "28.05",
    "claude-sonnet-4": "28.05",
    "claude-haiku-5-5": "0.935",  # 0.10 + 0.125 + 0.20 + 0.01 + 0.50
    "claude-haiku-4-5": "9.35",  # 1 + 1.25 + 2 + 0.10 + 5
    "claude-3-5-haiku": "7.48",  # 0.80 + 1 + 1.60 + 0.08 + 4
    "claude-3-haiku": "2.33",  # 0.25 + 0.30 + 0.50 + 0.03 + 1.25
}
LONG = {  # prompts of 240,000 tokens: the high band, and long context where a model has it
    **SHORT,
    "claude-sonnet-4-5": "48.60",  # 6 + 7.50 + 12 + 0.60 + 22.50
    "claude-sonnet-4": "48.60",
    "claude-haiku-5-5": "4.675",  # 0.50 + 0.625 + 1.00 + 0.05 + 2.50
}
FAST = {"claude-opus-5-5": 2, "claude-opus-5": 2, "claude-opus-4-8": 2}
FAST_UNTIL_SUMMER = {"claude-opus-4-7": 6, "claude-opus-4-6": 6}  # offered until June/July
CACHE_READ_CUT = Decimal("0.10")  # Sonnet 5.5 reads the cache at 0.10 instead of 0.20


def _days(model: str) -> list[str]:
    if model in FAST_UNTIL_SUMMER:
        return ["2026-06-01"]
    return ["2026-10-06", "2026-10-07"]


def _expected(model, day, size, speed, tier, geo) -> Decimal:
    rates = Decimal((LONG if size == LONG_EACH else SHORT)[model])
    if model == "claude-sonnet-5-5" and day >= "2026-10-07":
        rates -= CACHE_READ_CUT
    if speed == "fast":
        rates *= {**FAST, **FAST_UNTIL_SUMMER}.get(model, 1)
    if tier == "batch":
        rates *= Decimal("0.5")
    if geo == "us":
        rates *= Decimal("1.1")
    return rates * size / 1_000_000


SHORT_EACH, LONG_EACH = 10_000, 60_000
"""Tokens of each of the five types in a request: prompts of 40,000 and 240,000 tokens."""


def test_one_request_of_each_row_is_priced_as_the_table_says(workspace, tmp_path):
    header = (
        "timestamp,request_id,model,speed,service_tier,inference_geo,input_tokens,"
        "cache_creation_5m_input_tokens,cache_creation_1h_input_tokens,"
        "cache_read_input_tokens,output_tokens\n"
    )
    rows, expected = [], {}
    for model in SHORT:
        for day in _days(model):
            for size in (SHORT_EACH, LONG_EACH):
                for speed in ("standard", "fast"):
                    for tier in ("standard", "batch"):
                        for geo in ("global", "us"):
                            rows.append(
                                f"{day}T12:00:00Z,r{len(rows)},{model},{speed},{tier},{geo},"
                                + ",".join([str(size)] * 5)
                            )
                            key = (model, day, size, speed, tier, geo)
                            expected[key] = _expected(*key)
    path = tmp_path / "every-row.csv"
    path.write_text(header + "\n".join(rows) + "\n", encoding="utf-8")
    report = import_file(workspace, path)
    assert report.unpriced_lines == 0
    found = {}
    for period in ("2026-06", "2026-10"):
        by = ["model", "day", "prompt_band", "speed", "service_tier", "inference_geo"]
        for row in cost_report(workspace, period, [*by, "context_window"]).rows:
            group = row.group
            size = row.counts["input_tokens"]
            speed = "fast" if group["speed"] == "fast" else "standard"
            key = (group["model"], group["day"], size, speed, group["service_tier"])
            found[(*key, group["inference_geo"])] = (row.cost, group)
    assert set(found) == set(expected)
    for key, cost in expected.items():
        assert found[key][0] == cost, (key, found[key])
    # The band and the long-context flag were decided per request.
    haiku = {k[2]: g["prompt_band"] for k, (_, g) in found.items() if k[0] == "claude-haiku-5-5"}
    assert haiku == {SHORT_EACH: "low", LONG_EACH: "high"}
    sonnet = {k[2]: g["context_window"] for k, (_, g) in found.items() if k[0] == "claude-sonnet-4"}
    assert sonnet == {SHORT_EACH: "", LONG_EACH: "200k-1M"}
    assert sum(expected.values()) == report.cost
