"""A random year of month-ends, checked against an independent model after every step.

Steps: imports of request logs (late ones included), aggregated exports that replace earlier
ones, removals of imports, closes, reopens, policy changes (overhead rate) and price changes.
After every step:
- every usage line is billed by exactly one invoice document or shown once as Unallocated: the
  sum over all months of invoiced + Unallocated equals the model's expectation to the cent,
  where each closed month keeps what it billed when it closed (at the prices and policy then)
  and each open month bills its own unbilled lines and the unbilled late lines of the closed
  months just before it (CHARGEBACK_MATH.md §7), at today's prices and policy;
- closed months' documents are byte-identical to what closing them returned.

The model is written from the rules, not from the code: it knows nothing of batches, billed
periods or the allocation engine.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from app.services.closing import PeriodError, close_period, reopen_period
from app.services.exports import export_period
from app.services.import_history import RemovalRefused, list_imports, remove_import
from app.services.importing import import_file
from app.services.invoices import invoice_document
from app.services.policy import apply_policy_file
from app.services.prices import set_price
from app.services.workspaces import create_workspace

YEAR = 2025
MONTHS = [f"{YEAR}-{m:02d}" for m in range(1, 13)]
ALL_MONTHS = [*MONTHS, f"{YEAR + 1}-01"]
GATEWAY = "timestamp,request_id,team,model,input_tokens,output_tokens\n"
CONSOLE = (
    "usage_date_utc,model_version,api_key,workspace,usage_type,context_window,"
    "usage_input_tokens_no_cache,usage_input_tokens_cache_write_5m,"
    "usage_input_tokens_cache_write_1h,usage_input_tokens_cache_read,usage_output_tokens,"
    "web_search_count,inference_geo,speed\n"
)
POLICY = """
version = 1
[settings]
overhead_rate = "{rate}"
[[teams]]
name = "Data"
aliases = ["data-team"]
code = "DATA"
"""
CENT = Decimal("0.01")


def _next(period: str) -> str:
    year, month = int(period[:4]), int(period[5:])
    return f"{year + month // 12}-{month % 12 + 1:02d}"


@dataclass
class Line:
    """One usage line as the model knows it: Haiku input tokens, a month, team or not."""

    month: str
    tokens: int
    team: bool
    console_day: int | None = None
    billed_in: str | None = None
    batch: int = 0
    """The import that brought it (``imports`` id)."""


@dataclass
class Model:
    lines: list[Line] = field(default_factory=list)
    closed: dict[str, Decimal] = field(default_factory=dict)
    """Closed month → invoiced + Unallocated it froze."""
    input_rate: Decimal = Decimal(1)
    overhead: Decimal = Decimal(0)

    def next_open(self, month: str) -> str:
        candidate = _next(month)
        while candidate in self.closed:
            candidate = _next(candidate)
        return candidate

    def bills(self, period: str) -> list[Line]:
        """The lines an open ``period`` bills now."""
        return [
            line
            for line in self.lines
            if line.billed_in is None
            and (
                line.month == period
                or (line.month in self.closed and self.next_open(line.month) == period)
            )
        ]

    def draft_total(self, period: str) -> Decimal:
        team = unallocated = Decimal(0)
        for line in self.bills(period):
            cost = Decimal(line.tokens) * self.input_rate / 1_000_000
            if line.team:
                team += cost
            else:
                unallocated += cost
        exact = team * (1 + self.overhead) + unallocated
        return exact.quantize(CENT, ROUND_HALF_UP)

    def expected_total(self) -> Decimal:
        return sum(
            (self.closed[p] if p in self.closed else self.draft_total(p) for p in ALL_MONTHS),
            Decimal(0),
        )


class MonthEnds(RuleBasedStateMachine):
    make_workspace = staticmethod(lambda folder: create_workspace(folder / "year.cbdesk"))
    """Makes the year's workspace: a file, or a database on the test server."""

    def __init__(self) -> None:
        super().__init__()
        self.tmp = Path(tempfile.mkdtemp())
        self.workspace = MonthEnds.make_workspace(self.tmp)
        self.model = Model()
        self.files = 0
        self.frozen: dict[str, str] = {}
        self.frozen_csv: dict[str, bytes] = {}
        self._policy("0")

    def teardown(self) -> None:
        self.workspace.dispose()

    def _file(self, text: str, suffix: str = "csv") -> Path:
        self.files += 1
        path = self.tmp / f"f{self.files}.{suffix}"
        path.write_text(text)
        return path

    def _policy(self, rate: str) -> None:
        path = self._file(POLICY.format(rate=rate), "toml")
        apply_policy_file(self.workspace, path)
        self.model.overhead = Decimal(rate)
        # The policy file holds the price overrides too: applying one without them drops them.
        self.model.input_rate = Decimal(1)

    @rule(
        month=st.sampled_from(MONTHS),
        day=st.integers(1, 28),
        tokens=st.lists(st.integers(1, 3_000_000), min_size=1, max_size=3),
        team=st.booleans(),
    )
    def import_requests(self, month, day, tokens, team):
        rows = "".join(
            f"{month}-{day:02d}T{10 + i:02d}:00:00Z,r{self.files}-{i},"
            f"{'data-team' if team else 'nobody'},claude-haiku-4-5,{count},0\n"
            for i, count in enumerate(tokens)
        )
        report = import_file(self.workspace, self._file(GATEWAY + rows))
        assert report.status == "imported", report.message
        batch = self._newest_import()
        self.model.lines += [Line(month, count, team, batch=batch) for count in tokens]

    @rule(month=st.sampled_from(MONTHS), day=st.sampled_from([5, 20]), millions=st.integers(1, 9))
    def import_replacing_export(self, month, day, millions):
        row = (
            f"{month}-{day:02d} 05:00,claude-haiku-4-5,key{self.files},Default,standard,≤ 200k,"
            f"{millions}000000,0,0,0,0,0,,\n"
        )
        report = import_file(self.workspace, self._file(CONSOLE + row))
        earlier = [ln for ln in self.model.lines if (ln.month, ln.console_day) == (month, day)]
        if earlier and (month in self.model.closed or any(ln.billed_in for ln in earlier)):
            assert report.status == "rejected" and "reopen" in report.message
            return
        assert report.status == "imported", report.message
        self.model.lines = [ln for ln in self.model.lines if ln not in earlier]
        self.model.lines.append(
            Line(month, millions * 1_000_000, False, day, batch=self._newest_import())
        )

    def _newest_import(self) -> int:
        return list_imports(self.workspace)[0].id

    @precondition(lambda self: self.model.lines)
    @rule(data=st.data())
    def remove_an_import(self, data):
        batches = sorted({line.batch for line in self.model.lines})
        batch = data.draw(st.sampled_from(batches))
        billed = any(ln.billed_in for ln in self.model.lines if ln.batch == batch)
        try:
            remove_import(self.workspace, batch)
        except RemovalRefused as exc:
            assert billed, str(exc)
            return
        assert not billed
        self.model.lines = [ln for ln in self.model.lines if ln.batch != batch]

    @rule(month=st.sampled_from(MONTHS))
    def close(self, month):
        if month in self.model.closed:
            return
        expected = self.model.draft_total(month)
        billed = self.model.bills(month)
        try:
            document = close_period(self.workspace, month, allow_empty=True)
        except PeriodError as exc:
            raise AssertionError(str(exc)) from None
        assert Decimal(document["grand_total"]) + Decimal(document["unallocated"]) == expected
        for line in billed:
            line.billed_in = month
        self.model.closed[month] = expected
        self.frozen[month] = json.dumps(invoice_document(self.workspace, month), sort_keys=True)
        out = self.tmp / f"{month}.csv"
        export_period(self.workspace, "csv", month, out)
        self.frozen_csv[month] = out.read_bytes()

    @precondition(lambda self: self.model.closed)
    @rule(data=st.data())
    def reopen(self, data):
        month = data.draw(st.sampled_from(sorted(self.model.closed)))
        reopen_period(self.workspace, month, "property test")
        del self.model.closed[month]
        del self.frozen[month]
        del self.frozen_csv[month]
        for line in self.model.lines:
            if line.billed_in == month:
                line.billed_in = None

    @rule(rate=st.sampled_from(["0", "0.10", "0.125"]))
    def change_policy(self, rate):
        self._policy(rate)

    @rule(rate=st.sampled_from(["1", "2", "0.8"]))
    def change_price(self, rate):
        # No date: "always" — it must win over the built-in entry's later date.
        set_price(self.workspace, {"model": "claude-haiku-4-5", "input": rate, "output": "5"})
        self.model.input_rate = Decimal(rate)

    @invariant()
    def every_line_billed_once(self):
        total = Decimal(0)
        for period in ALL_MONTHS:
            document = invoice_document(self.workspace, period)
            total += Decimal(document["grand_total"]) + Decimal(document["unallocated"])
        assert total == self.model.expected_total()

    @invariant()
    def lines_are_billed_only_by_closed_months_at_or_after_their_own(self):
        with self.workspace.engine.connect() as conn:
            rows = conn.exec_driver_sql(
                "SELECT period, billed_period FROM usage_lines WHERE billed_period IS NOT NULL"
            ).all()
        for period, billed_in in rows:
            assert billed_in in self.model.closed and billed_in >= period

    @invariant()
    def closed_months_unchanged(self):
        for month, text in self.frozen.items():
            assert json.dumps(invoice_document(self.workspace, month), sort_keys=True) == text
            out = self.tmp / f"check-{month}.csv"
            export_period(self.workspace, "csv", month, out)
            assert out.read_bytes() == self.frozen_csv[month]


YEAR_SETTINGS = settings(
    max_examples=12,
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@pytest.mark.slow
def test_a_random_year_of_month_ends(make_workspace, monkeypatch):
    """On a workspace file and on a server: every line billed exactly once, whatever the
    order of imports, closes and reopens."""
    monkeypatch.setattr(MonthEnds, "make_workspace", staticmethod(make_workspace))
    run_state_machine_as_test(MonthEnds, settings=YEAR_SETTINGS)
