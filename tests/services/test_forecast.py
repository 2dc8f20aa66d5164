"""The commitment forecast (issue 15) against hand-computed cases: a linear trend with its
90 % prediction interval, the optimised scenario at the adoption rates set, quarters and the
commitment (the optimised lower bound)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from app.cli import main
from app.domain.forecast import fit_trend
from app.services.forecast import ForecastError, Range, commitment_forecast
from app.services.importing import import_file
from app.services.policy import apply_policy_file

POLICY = """version = 1
[[teams]]
name = "Data"
[[teams]]
name = "Web"
[[rules]]
when = { api_key = "k-data" }
team = "Data"
[[rules]]
when = { api_key = "k-web" }
team = "Web"
"""
MONTHLY_DATA = {"2026-07": 100, "2026-08": 120, "2026-09": 110, "2026-10": 130}
"""Data's Haiku 4.5 input, in dollars ($1 per million tokens): a trend of $8 a month."""


def test_the_trend_and_its_interval_match_the_hand_computed_case():
    # x = 1..4, y = 100, 120, 110, 130: x̄ 2.5, ȳ 115, Sxx 5, Sxy 40 → b 8, a 95;
    # residuals −3, 9, −9, 3 → SSE 180, s² 90; month 5: 135 ± t(2) 2.920 × √(90 × 2.5) = 43.80.
    fit = fit_trend([Decimal(v) for v in (100, 120, 110, 130)])
    assert (fit.intercept, fit.slope) == (Decimal(95), Decimal(8))
    five = fit.project(5)
    assert (five.point, five.low, five.high) == (Decimal(135), Decimal("91.2"), Decimal("178.8"))
    flat = fit_trend([Decimal(40), Decimal(50)])
    assert flat.project(9) == flat.project(3)
    assert (flat.project(3).point, flat.project(3).low) == (Decimal(50), Decimal(50))
    falling = fit_trend([Decimal(30), Decimal(20), Decimal(10)])
    assert falling.project(5).point == 0  # never below zero


@pytest.fixture
def history(workspace, tmp_path):
    (tmp_path / "p.toml").write_text(POLICY, encoding="utf-8")
    apply_policy_file(workspace, tmp_path / "p.toml")
    rows = [
        f"{month}-15T10:00:00Z,d{month},k-data,claude-haiku-4-5,{dollars * 1_000_000}\n"
        for month, dollars in MONTHLY_DATA.items()
    ]
    rows += [  # Web: only two months, $40 then $50
        "2026-09-15T10:00:00Z,w1,k-web,claude-haiku-4-5,40000000\n",
        "2026-10-15T10:00:00Z,w2,k-web,claude-haiku-4-5,50000000\n",
    ]
    log = tmp_path / "usage.csv"
    log.write_text("timestamp,request_id,api_key,model,input_tokens\n" + "".join(rows))
    assert import_file(workspace, log).status == "imported"
    return workspace


NO_LEVERS = {"routing": Decimal(0), "caching": Decimal(0), "batch": Decimal(0)}


def test_the_forecast_reproduces_the_hand_computed_case(history):
    forecast = commitment_forecast(history, months=3, adoption=NO_LEVERS)
    assert forecast.basis_months == ("2026-07", "2026-08", "2026-09", "2026-10")
    assert forecast.months == ("2026-11", "2026-12", "2027-01")
    data, web = forecast.series
    assert (data.team, data.model, data.trend) == ("Data", "Claude Haiku", True)
    assert data.history == tuple(Decimal(v) for v in MONTHLY_DATA.values())
    november = data.as_is[0]
    assert (november.point, november.low, november.high) == (
        Decimal("135.00"),
        Decimal("91.20"),
        Decimal("178.80"),
    )
    # Web started in September: two months of cost are too few for a trend (its months before
    # are not zeros to fit): flat at October's $50, without an interval.
    assert web.history == (Decimal(0), Decimal(0), Decimal("40.00"), Decimal("50.00"))
    assert web.trend is False
    assert web.as_is[0] == web.as_is[2]
    assert (web.as_is[0].point, web.as_is[0].low) == (Decimal("50.00"), Decimal("50.00"))
    assert forecast.as_is[0].point == november.point + web.as_is[0].point
    assert forecast.optimised == forecast.as_is  # no lever adopted
    q4, q1 = forecast.quarters
    assert (q4.quarter, q4.months, q1.quarter) == ("Q4 2026", ("2026-11", "2026-12"), "Q1 2027")
    assert q4.as_is.point == forecast.as_is[0].point + forecast.as_is[1].point
    assert q4.commitment == q4.optimised.low
    assert forecast.commitment == q4.optimised.low + q1.optimised.low


def test_the_optimised_scenario_applies_the_levers_at_the_adoption_set(history):
    forecast = commitment_forecast(history, months=1, adoption={**NO_LEVERS, "caching": Decimal(1)})
    # October: no cache reads; the caching lever brings half of the input to cache reads at
    # 90 % off: Data saves 0.5 × $130 × 0.9 = $58.50 of $130 → 45 % off every month.
    assert forecast.lever_savings["caching"] == Decimal("58.50") + Decimal("22.50")
    data = forecast.series[0]
    assert data.optimised_factor == Decimal("0.55")
    assert data.optimised[0].point == Decimal("74.25")  # 135.00 × 0.55
    assert data.optimised[0].low == Decimal("50.16")  # 91.20 × 0.55, to the cent
    half = commitment_forecast(history, months=1, adoption={**NO_LEVERS, "caching": Decimal("0.5")})
    assert half.series[0].optimised_factor == Decimal("0.775")


def test_every_assumption_is_listed(history):
    forecast = commitment_forecast(history, months=12)
    text = "\n".join(forecast.assumptions)
    assert "linear trend (ordinary least squares)" in text
    assert "complete months 2026-07 to 2026-10" in text
    assert "90 % prediction interval" in text
    assert "routing 50 %, caching 50 %, batch 50 %" in text
    assert "Commitment: per quarter, the lower bound of the optimised forecast" in text
    assert [q.quarter for q in forecast.quarters] == [
        "Q4 2026",
        "Q1 2027",
        "Q2 2027",
        "Q3 2027",
        "Q4 2027",
    ]
    assert sum(len(q.months) for q in forecast.quarters) == 12


def test_the_cli_writes_the_forecast_as_json(history, capsys):
    assert main(["-w", history.location, "forecast", "--months", "12", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["method"].startswith("linear trend")
    assert len(data["months"]) == 12
    assert data["series"][0]["as_is"][0] == {"point": "135.00", "low": "91.20", "high": "178.80"}
    assert data["commitment"] == f"{sum(Decimal(q['commitment']) for q in data['quarters']):.2f}"
    assert main(["-w", history.location, "forecast", "--adopt", "routing=0.3"]) == 0
    out = capsys.readouterr().out
    assert "Commitment" in out and "Q1 2027" in out


def test_a_forecast_that_cannot_be_made_says_why(workspace, history, capsys):
    with pytest.raises(ForecastError, match="months: from 1 to 36"):
        commitment_forecast(history, months=0)
    with pytest.raises(ForecastError, match="adoption of caching: from 0 to 100 %"):
        commitment_forecast(history, adoption={"caching": Decimal("1.5")})
    assert main(["-w", history.location, "forecast", "--adopt", "speed=0.5"]) == 2
    assert "a lever is one of routing, caching, batch" in capsys.readouterr().err
    assert main(["-w", history.location, "forecast", "--adopt", "caching"]) == 2
    assert "LEVER=SHARE" in capsys.readouterr().err


def test_the_month_in_progress_keeps_what_is_spent(history, tmp_path):
    log = tmp_path / "november.csv"
    log.write_text(
        "timestamp,request_id,api_key,model,input_tokens\n"
        "2026-11-03T10:00:00Z,n1,k-data,claude-haiku-4-5,99000000\n"
        "2026-11-04T10:00:00Z,n2,k-data,claude-opus-4-7,10000000\n"  # Opus: $5 per 1M input
    )
    assert import_file(history, log).status == "imported"
    forecast = commitment_forecast(history, months=2, adoption={**NO_LEVERS, "caching": Decimal(1)})
    data = forecast.series[0]
    # $99 spent, usage imported to the 4th: the 26 days left of 30 are forecast:
    # 99 + 26/30 × 135 (91.20, 178.80).
    assert data.as_is[0] == Range(Decimal("216.00"), Decimal("178.04"), Decimal("253.96"))
    # Only the part to come is optimised: 99 + 117 × 0.55.
    assert data.optimised[0].point == Decimal("163.35")
    assert data.as_is[1].point == Decimal("143.00")  # December: the trend, whole
    opus = next(s for s in forecast.series if s.model == "Claude Opus")
    # Started this month: $50 in 4 days, a run rate of $375 a month, flat.
    assert (opus.trend, opus.as_is[1].point) == (False, Decimal("375.00"))
    assert opus.as_is[0].point == Decimal("375.00")  # 50 + 26/30 × 375
    text = "\n".join(forecast.assumptions)
    assert "2026-11 is actual to its last day with usage (2026-11-04)" in text


def test_overlapping_levers_compound_and_never_wipe_out_a_team(history, monkeypatch):
    from types import SimpleNamespace

    import app.services.forecast as forecast_module

    estimates = [
        SimpleNamespace(team="Data", lever=lever, amount=Decimal(amount), assumption=lever)
        for lever, amount in (("caching", 45), ("batch", 50), ("routing", 40))
    ]
    monkeypatch.setattr(
        forecast_module, "month_insights", lambda _w, _m: SimpleNamespace(savings=estimates)
    )
    everything = dict.fromkeys(("routing", "caching", "batch"), Decimal(1))
    series = {("Data", "Claude Opus"): [Decimal(100)]}
    factors, _, _ = forecast_module._factors(history, "2026-10", series, everything)
    # (1 − 0.45)(1 − 0.50)(1 − 0.40) = 0.165, not 1 − 1.35 clamped to zero.
    assert factors[("Data", "Claude Opus")] == Decimal("0.165")


def test_a_history_without_recent_usage_is_refused(workspace, tmp_path):
    log = tmp_path / "old.csv"
    log.write_text(
        "timestamp,request_id,api_key,model,input_tokens\n"
        "2025-01-10T10:00:00Z,a,k,claude-haiku-4-5,1000000\n"
    )
    import_file(workspace, log)
    with pytest.raises(
        ForecastError, match=r"no usage in the last 6 complete months \(the last was 2025-01"
    ):
        commitment_forecast(workspace)


@pytest.mark.parametrize("share", ["NaN", "1e999999999", "-0.1", "inf"])
def test_an_adoption_that_is_not_a_share_is_refused(history, capsys, share):
    assert main(["-w", history.location, "forecast", "--adopt", f"routing={share}"]) == 2
    err = capsys.readouterr().err
    assert "routing" in err and "Traceback" not in err and "unexpected" not in err
