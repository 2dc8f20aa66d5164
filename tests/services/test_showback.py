"""Showback months before the go-live month, chargeback from it on (issue 15): statements
numbered SB-YYYYMM-<CODE>, for information and never posted; invoices CB-… from go-live."""

from __future__ import annotations

import csv

import pytest

from app.cli import main
from app.services.closing import close_period
from app.services.exports import ExportError, export_period
from app.services.invoices import invoice_document
from app.services.policy import PolicyRejected, apply_policy_file
from tests.conftest import MONTH_POLICY

GO_LIVE_NOVEMBER = (
    MONTH_POLICY.replace("version = 1\n", 'version = 1\n[settings]\ngo_live = "2026-11"\n')
    + '[[rules]]\nwhen = { api_key = "k-big" }\nteam = "Web"\n'
)
"""October's k-big usage ($2) and November's go to Web."""


@pytest.fixture
def shadow_october(unmapped_month, tmp_path):
    """October is a shadow month, November the go-live month."""
    policy = tmp_path / "go-live.toml"
    policy.write_text(GO_LIVE_NOVEMBER, encoding="utf-8")
    apply_policy_file(unmapped_month, policy)
    return unmapped_month


def test_months_before_go_live_are_showback_and_from_it_chargeback(shadow_october):
    assert invoice_document(shadow_october, "2026-10")["billing"] == "showback"
    assert invoice_document(shadow_october, "2026-11")["billing"] == "chargeback"


def test_a_shadow_month_closes_as_showback_statements(shadow_october):
    october = close_period(shadow_october, "2026-10")
    assert october["billing"] == "showback"
    assert october["status"] == "final"
    numbers = [i["number"] for i in october["invoices"]]
    assert numbers and all(n.startswith("SB-202610-") for n in numbers), numbers
    november = close_period(shadow_october, "2026-11")
    assert november["billing"] == "chargeback"
    assert all(i["number"].startswith("CB-202611-") for i in november["invoices"])


def test_a_showback_month_is_never_posted(shadow_october, tmp_path):
    close_period(shadow_october, "2026-10")
    for period in ("2026-10",):
        with pytest.raises(ExportError, match=r"showback month.* never posted"):
            export_period(shadow_october, "journal", period, tmp_path / "j.csv")
        assert not (tmp_path / "j.csv").exists()
    export_period(shadow_october, "journal", "2026-11", tmp_path / "nov.csv")
    assert (tmp_path / "nov.csv").read_text(encoding="utf-8").count("\n") > 1


def test_the_exports_say_which_a_month_is(shadow_october, tmp_path):
    close_period(shadow_october, "2026-10")
    for period, billing in (("2026-10", "showback"), ("2026-11", "chargeback")):
        out = tmp_path / f"{period}.csv"
        export_period(shadow_october, "csv", period, out)
        with out.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        assert rows and {row["billing"] for row in rows} == {billing}
        focus = tmp_path / f"{period}-focus.csv"
        export_period(shadow_october, "focus", period, focus)
        with focus.open(encoding="utf-8", newline="") as handle:
            focus_rows = list(csv.DictReader(handle))
        assert {row["x_Billing"] for row in focus_rows} == {billing}
        # A showback month bills nothing; what it would have cost stays the effective cost.
        billed = {row["BilledCost"] == "0.00" for row in focus_rows}
        assert billed == {billing == "showback"}
        assert all(row["EffectiveCost"] != "0.00" for row in focus_rows)


def test_moving_go_live_later_never_changes_a_closed_month(shadow_october, tmp_path):
    november = close_period(shadow_october, "2026-11")
    later = tmp_path / "later.toml"
    later.write_text(GO_LIVE_NOVEMBER.replace("2026-11", "2027-01"), encoding="utf-8")
    apply_policy_file(shadow_october, later)
    assert invoice_document(shadow_october, "2026-11") == november
    assert invoice_document(shadow_october, "2026-10")["billing"] == "showback"


def test_a_go_live_month_must_be_a_month(workspace, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(GO_LIVE_NOVEMBER.replace("2026-11", "2026-13"), encoding="utf-8")
    with pytest.raises(PolicyRejected) as refused:
        apply_policy_file(workspace, bad)
    assert "bad.toml: settings.go_live must be a month, YYYY-MM: '2026-13'" in (
        refused.value.problems
    )


def test_the_command_line_says_showback_and_the_policy_file_keeps_go_live(
    shadow_october, tmp_path, capsys
):
    assert main(["-w", shadow_october.location, "close", "--period", "2026-10"]) == 0
    out = capsys.readouterr().out
    assert "SB-202610-" in out and "showback" in out.lower()
    exported = tmp_path / "out.toml"
    assert main(["-w", shadow_october.location, "config", "export", str(exported)]) == 0
    assert 'go_live = "2026-11"' in exported.read_text(encoding="utf-8")
    assert (
        main(
            [
                "-w",
                shadow_october.location,
                "export",
                "journal",
                "--period",
                "2026-10",
                "--out",
                str(tmp_path / "j.csv"),
            ]
        )
        == 2
    )
    assert "never posted" in capsys.readouterr().err


def test_the_invoices_command_heads_a_showback_month_as_statements(shadow_october, capsys):
    assert main(["-w", shadow_october.location, "invoices", "--period", "2026-10"]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith("Showback statements 2026-10 (DRAFT) — for information")
    assert main(["-w", shadow_october.location, "invoices", "--period", "2026-11"]) == 0
    assert capsys.readouterr().out.startswith("Invoices 2026-11 (DRAFT)")


def test_the_dashboard_and_invoices_page_say_a_month_is_showback(shadow_october):
    from app.ui.presentation.dashboard import DashboardPresenter
    from app.ui.presentation.invoices import InvoicesPresenter

    invoices = InvoicesPresenter(shadow_october)
    invoices.apply(invoices.fetch("2026-10"))
    assert invoices.status_text.startswith("SHOWBACK month, DRAFT — statements for information")
    invoices.apply(invoices.fetch("2026-11"))
    assert invoices.status_text.startswith("CHARGEBACK month, DRAFT")
    dashboard = DashboardPresenter(shadow_october)
    dashboard.apply(dashboard.fetch("2026-10"))
    assert dashboard.kpis[0].label == "Showback, October 2026"
    assert dashboard.kpis[0].hint.startswith("A showback month: statements for information")


def test_a_month_keeps_the_billing_it_was_first_closed_with(shadow_october, tmp_path):
    """A posted chargeback month reopened after go_live moved later closes again as
    chargeback (its journal stays available), and a shadow month never becomes charged."""
    from app.services.closing import reopen_period

    november = close_period(shadow_october, "2026-11")
    assert november["billing"] == "chargeback"
    october = close_period(shadow_october, "2026-10")
    assert october["billing"] == "showback"
    moved = tmp_path / "moved.toml"
    moved.write_text(GO_LIVE_NOVEMBER.replace("2026-11", "2026-12"), encoding="utf-8")
    apply_policy_file(shadow_october, moved)  # November would now be a shadow month
    reopen_period(shadow_october, "2026-11", reason="late credit")
    assert invoice_document(shadow_october, "2026-11")["billing"] == "chargeback"
    again = close_period(shadow_october, "2026-11")
    assert again["billing"] == "chargeback"
    assert all(i["number"].startswith("CB-202611-") for i in again["invoices"])
    export_period(shadow_october, "journal", "2026-11", tmp_path / "nov.csv")
    earlier = tmp_path / "earlier.toml"
    earlier.write_text(GO_LIVE_NOVEMBER.replace("2026-11", "2026-09"), encoding="utf-8")
    apply_policy_file(shadow_october, earlier)  # October would now be charged
    reopen_period(shadow_october, "2026-10", reason="a missing key")
    assert close_period(shadow_october, "2026-10")["billing"] == "showback"
