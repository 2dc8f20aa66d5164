"""Random month-ends with disputes, checked against a model after every step: an accepted
dispute's amount moves exactly once, on the month the rules name, whatever the order of
disputes, decisions, closes and reopens; closed documents never change; no month's total
changes (a move only shifts money between teams and Unallocated).

The model knows only the rules (issue 15, CHARGEBACK_MATH.md §7): an accepted dispute of an
invoice is billed by the first open month after the disputed one; closing that month freezes
it there; reopening it puts it back in its draft.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from decimal import Decimal
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

from app.services.closing import close_period, reopen_period
from app.services.disputes import DisputeError, accept_dispute, record_dispute, reject_dispute
from app.services.importing import import_file
from app.services.invoices import invoice_document
from app.services.policy import apply_policy_file
from app.services.workspaces import create_workspace

MONTHS = ["2026-07", "2026-08", "2026-09", "2026-10", "2026-11"]
POLICY = """version = 1
[settings]
overhead_rate = "0.15"
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

LINE_CENTS = {"Data": 700, "Web": 300}
"""Each team's one usage line a month (Haiku 4.5 at $1 per 1M input tokens)."""


@dataclass
class Move:
    """An accepted dispute as the model knows it."""

    period: str
    cents: int
    to: str
    billed_in: str | None = None


def _next(period: str) -> str:
    year, month = int(period[:4]), int(period[5:])
    return f"{year + month // 12}-{month % 12 + 1:02d}"


class DisputedMonths(RuleBasedStateMachine):
    make_workspace = staticmethod(lambda folder: create_workspace(folder / "d.cbdesk"))

    def __init__(self) -> None:
        super().__init__()
        self.tmp = Path(tempfile.mkdtemp())
        self.workspace = DisputedMonths.make_workspace(self.tmp)
        (self.tmp / "p.toml").write_text(POLICY, encoding="utf-8")
        apply_policy_file(self.workspace, self.tmp / "p.toml")
        rows = "".join(
            f"{m}-10T10:00:00Z,{m}-{key},{key},claude-haiku-4-5,{tokens}\n"
            for m in MONTHS
            for key, tokens in (("k-data", 7_000_000), ("k-web", 3_000_000), ("k-x", 1_000_000))
        )
        log = self.tmp / "u.csv"
        log.write_text("timestamp,request_id,api_key,model,input_tokens\n" + rows)
        assert import_file(self.workspace, log).status == "imported"
        self.closed: set[str] = set()
        self.frozen: dict[str, str] = {}
        self.moves: dict[str, Move] = {}
        self.open_disputes: list[tuple[str, str, str, int]] = []
        self.contested: dict[tuple[str, str], int] = {}
        self.month_totals: dict[str, Decimal] = {}
        self.month_totals = {
            m: self._month_total(invoice_document(self.workspace, m)) for m in MONTHS
        }

        # Two months closed from the start, so that disputes come early in each run.
        for month in MONTHS[:2]:
            self.frozen[month] = json.dumps(close_period(self.workspace, month), sort_keys=True)
            self.closed.add(month)

    def teardown(self) -> None:
        self.workspace.dispose()

    @staticmethod
    def _month_total(document: dict) -> Decimal:
        return Decimal(document["grand_total"]) + Decimal(document["unallocated"])

    def _next_open(self, period: str) -> str:
        candidate = _next(period)
        while candidate in self.closed:
            candidate = _next(candidate)
        return candidate

    @precondition(lambda self: len(self.closed) < len(MONTHS))
    @rule(data=st.data())
    def close(self, data):
        month = data.draw(st.sampled_from([m for m in MONTHS if m not in self.closed]))
        document = close_period(self.workspace, month)
        for move in self.moves.values():
            if move.billed_in is None and self._next_open(move.period) == month:
                move.billed_in = month
        self.closed.add(month)
        self.frozen[month] = json.dumps(document, sort_keys=True)

    @precondition(lambda self: self.closed)
    @rule(data=st.data())
    def reopen(self, data):
        month = data.draw(st.sampled_from(sorted(self.closed)))
        reopen_period(self.workspace, month, "a correction")
        self.closed.discard(month)
        del self.frozen[month]
        for move in self.moves.values():
            if move.billed_in == month:
                move.billed_in = None

    @precondition(lambda self: self.closed)
    @rule(data=st.data(), cents=st.integers(1, 400), team=st.sampled_from(["Data", "Web"]))
    def contest(self, data, cents, team):
        month = data.draw(st.sampled_from(sorted(self.closed)))
        amount = f"{cents / 100:.2f}"
        contested = self.contested.get((month, team), 0)
        if contested + cents > LINE_CENTS[team]:
            with pytest.raises(DisputeError, match="more than is left to contest"):
                record_dispute(self.workspace, month, team, "1", amount, "lead", "why")
            return
        dispute = record_dispute(self.workspace, month, team, "1", amount, "lead", "why")
        self.contested[(month, team)] = contested + cents
        self.open_disputes.append((dispute.code, month, team, cents))

    @precondition(lambda self: self.open_disputes)
    @rule(
        data=st.data(),
        to=st.sampled_from(["Web", "Unallocated"]),
        part=st.integers(1, 100),
        accept=st.booleans(),
    )
    def decide(self, data, to, part, accept):
        code, month, team, cents = data.draw(st.sampled_from(self.open_disputes))
        if accept and month not in self.closed:
            with pytest.raises(DisputeError, match="was reopened"):
                accept_dispute(self.workspace, code, to)
            return
        if accept and team == to:
            with pytest.raises(DisputeError, match="the team that contested the line"):
                accept_dispute(self.workspace, code, to)
            return
        self.open_disputes.remove((code, month, team, cents))
        if not accept:
            reject_dispute(self.workspace, code, "no")
            self.contested[(month, team)] -= cents
            return
        accepted = max(1, cents * part // 100)
        accept_dispute(self.workspace, code, to, amount=f"{accepted / 100:.2f}")
        self.contested[(month, team)] -= cents - accepted
        self.moves[code] = Move(month, accepted, to)

    @invariant()
    def every_move_is_billed_once_where_the_rules_say(self):
        seen: dict[str, list[tuple[str, str, int]]] = {}
        for month in MONTHS:
            document = invoice_document(self.workspace, month)
            assert self._month_total(document) == self.month_totals[month]
            if month in self.closed:
                assert json.dumps(document, sort_keys=True) == self.frozen[month]
            for invoice in document["invoices"]:
                for line in invoice["lines"]:
                    if "dispute" in line:
                        cents = int(Decimal(line["amount"]) * 100)
                        seen.setdefault(line["dispute"], []).append((month, invoice["team"], cents))
        assert set(seen) <= set(self.moves)
        for code, move in self.moves.items():
            home = move.billed_in or self._next_open(move.period)
            lines = seen.get(code, [])
            if home not in MONTHS:
                assert lines == []  # December: not a month of this workspace yet
                continue
            assert {m for m, _, _ in lines} == {home}, (code, lines, home)
            assert sum(c for _, _, c in lines if c < 0) == -move.cents
            credited = sum(c for _, _, c in lines if c > 0)
            assert credited == (0 if move.to == "Unallocated" else move.cents)


DISPUTE_SETTINGS = settings(
    max_examples=15,
    stateful_step_count=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@pytest.mark.slow
def test_an_accepted_dispute_moves_its_amount_exactly_once(make_workspace, monkeypatch):
    """On a workspace file and on a server."""
    monkeypatch.setattr(DisputedMonths, "make_workspace", staticmethod(make_workspace))
    run_state_machine_as_test(DisputedMonths, settings=DISPUTE_SETTINGS)
