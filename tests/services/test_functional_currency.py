"""The company's own currency (issue 15): a monthly rate with its source converts each closed
document once, at close, exactly; documents and the journal show both currencies and the rate;
a rate edited later never changes a closed month."""

from __future__ import annotations

import csv
from decimal import Decimal

import pytest

from app.cli import main
from app.services.closing import PeriodError, close_period
from app.services.exchange_rates import RatesRejected, import_rates_csv, list_rates, set_rate
from app.services.exports import export_period
from app.services.invoices import invoice_document
from app.services.policy import apply_policy_file
from tests.conftest import MONTH_POLICY

IN_EUROS = (
    MONTH_POLICY.replace("version = 1\n", 'version = 1\n[settings]\nfunctional_currency = "EUR"\n')
    + '[[rules]]\nwhen = { api_key = "k-big" }\nteam = "Web"\n'
)
"""November: Data $9.00, Web $3.00, Unallocated $1.50 (ann and the growth tag)."""


@pytest.fixture
def euro_month(unmapped_month, tmp_path):
    policy = tmp_path / "eur.toml"
    policy.write_text(IN_EUROS, encoding="utf-8")
    apply_policy_file(unmapped_month, policy)
    return unmapped_month


def test_a_month_without_its_rate_does_not_close(euro_month):
    with pytest.raises(PeriodError, match=r"2026-11 has no exchange rate to EUR.*rates set"):
        close_period(euro_month, "2026-11")


def test_a_closed_month_is_converted_once_at_its_rate(euro_month):
    set_rate(euro_month, "2026-11", "EUR", "0.9215", "ECB reference rate, 30 Nov 2026")
    document = close_period(euro_month, "2026-11")
    functional = document["functional"]
    assert functional["currency"] == "EUR" and functional["rate"] == "0.9215"
    assert functional["rate_source"] == "ECB reference rate, 30 Nov 2026"
    totals = {i["team"]: i["total"] for i in functional["invoices"]}
    # 9.00 × 0.9215 = 8.2935, 3.00 × = 2.7645, 1.50 × = 1.38225: floors 8.29 + 2.76 + 1.38
    # = 12.43, one cent short of the month's 13.50 × 0.9215 = 12.44025 → 12.44; it goes to
    # the largest remainder (Web's .45 of a cent).
    assert totals == {"Data": "8.29", "Web": "2.77"}
    assert functional["unallocated"] == "1.38"
    assert Decimal(functional["grand_total"]) + Decimal(functional["unallocated"]) == Decimal(
        "12.44"
    )
    for invoice in functional["invoices"]:
        assert sum(Decimal(a) for a in invoice["lines"]) == Decimal(invoice["total"])
    set_rate(euro_month, "2026-11", "EUR", "0.95", "corrected")
    assert invoice_document(euro_month, "2026-11")["functional"]["rate"] == "0.9215"


def test_the_journal_posts_in_both_currencies(euro_month, tmp_path):
    set_rate(euro_month, "2026-11", "EUR", "0.9215", "ECB reference rate, 30 Nov 2026")
    close_period(euro_month, "2026-11")
    out = export_period(euro_month, "journal", "2026-11", tmp_path / "j.csv")
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    data = [r for r in rows if r["invoice_number"].endswith("-DATA")]
    assert {r["functional_currency"] for r in rows} == {"EUR"}
    assert {r["exchange_rate"] for r in rows} == {"0.9215"}
    assert sorted(r["functional_debit"] for r in data) == ["0.00", "8.29"]
    assert sum(Decimal(r["functional_debit"]) for r in rows) == sum(
        Decimal(r["functional_credit"]) for r in rows
    )


def test_rates_are_imported_from_a_small_csv_all_checked(euro_month, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "period,currency,rate,source\n2026-10,EUR,0.93,ECB\n2026-13,EUR,x,\n", encoding="utf-8"
    )
    with pytest.raises(RatesRejected) as refused:
        import_rates_csv(euro_month, bad)
    assert refused.value.problems == [
        "bad.csv: line 3, column 'period': not YYYY-MM: '2026-13'",
        "bad.csv: line 3, column 'rate': not a number: 'x'",
        "bad.csv: line 3, column 'source': say where the rate comes from",
    ]
    assert list_rates(euro_month) == []
    good = tmp_path / "good.csv"
    good.write_text(
        "period,currency,rate,source\n2026-10,EUR,0.93,ECB\n2026-11,EUR,0.9215,ECB\n",
        encoding="utf-8",
    )
    assert import_rates_csv(euro_month, good) == 2
    assert [(r.period, r.rate, r.source) for r in list_rates(euro_month)] == [
        ("2026-10", "0.93", "ECB"),
        ("2026-11", "0.9215", "ECB"),
    ]


def test_the_command_line_sets_and_lists_rates(euro_month, capsys):
    location = euro_month.location
    assert (
        main(
            [
                "-w",
                location,
                "rates",
                "set",
                "--period",
                "2026-11",
                "--currency",
                "EUR",
                "--rate",
                "0.9215",
                "--source",
                "ECB",
            ]
        )
        == 0
    )
    capsys.readouterr()
    assert main(["-w", location, "rates", "--json"]) == 0
    assert '"rate": "0.9215"' in capsys.readouterr().out
    assert (
        main(
            [
                "-w",
                location,
                "rates",
                "set",
                "--period",
                "2026-11",
                "--currency",
                "EUR",
                "--rate",
                "-1",
                "--source",
                "x",
            ]
        )
        == 2
    )
    assert "a rate is between" in capsys.readouterr().err
    assert main(["-w", location, "close", "--period", "2026-11"]) == 0
    out = capsys.readouterr().out
    assert "invoiced 12.00 USD (= EUR 11.06 at 0.9215, ECB)" in out  # 8.29 + 2.77


def test_a_rates_file_that_cannot_be_read_or_repeats_a_month_is_refused_whole(
    euro_month, tmp_path, capsys
):
    missing_column = tmp_path / "short.csv"
    missing_column.write_text("period,currency,rate\n2026-10,EUR,0.93\n", encoding="utf-8")
    with pytest.raises(RatesRejected) as refused:
        import_rates_csv(euro_month, missing_column)
    assert refused.value.problems == ["short.csv: no column source"]
    twice = tmp_path / "twice.csv"
    twice.write_text(
        "period,currency,rate,source\n2026-10,EUR,0.93,ECB\n2026-10,eur,0.95,Treasury\n",
        encoding="utf-8",
    )
    with pytest.raises(RatesRejected) as refused:
        import_rates_csv(euro_month, twice)
    assert refused.value.problems == [
        "twice.csv: line 3: 2026-10 EUR is already given on line 2; one rate per month and currency"
    ]
    assert list_rates(euro_month) == []
    assert main(["-w", euro_month.location, "rates", "import", str(tmp_path / "nope.csv")]) == 2
    assert "nope.csv: cannot read" in capsys.readouterr().err


def test_the_csv_and_the_excel_pack_show_the_company_currency_and_rate(euro_month, tmp_path):
    from openpyxl import load_workbook

    set_rate(euro_month, "2026-11", "EUR", "0.9215", "ECB reference rate, 30 Nov 2026")
    close_period(euro_month, "2026-11")
    out = export_period(euro_month, "csv", "2026-11", tmp_path / "nov.csv")
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert {(r["functional_currency"], r["exchange_rate"]) for r in rows} == {("EUR", "0.9215")}
    pack = export_period(euro_month, "xlsx", "2026-11", tmp_path / "nov.xlsx")
    summary = load_workbook(pack)["Summary"]
    assert summary["A3"].value == (
        "In EUR at 0.9215 per USD (ECB reference rate, 30 Nov 2026): Data 8.29, Web 2.77; "
        "invoiced 11.06, unallocated 1.38"
    )
