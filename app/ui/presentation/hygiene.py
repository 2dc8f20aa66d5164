"""The Hygiene page's state (Qt-free): tag coverage per month and source, tag values written
several ways (offered as aliases), and the model-use policy's breaches with the cost at stake
and had each rule been followed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from app.domain.periods import months_ending, shifted_month
from app.services.closing import current_month
from app.services.model_policy import RuleReport, model_policy_report
from app.services.policy_edits import PolicyChange, PolicyState, policy_state
from app.services.tag_hygiene import ATTRIBUTES, Hygiene, Spelling, alias_change_from, tag_hygiene
from app.services.usage_scan import scan_months
from app.services.workspaces import Workspace
from app.ui.presentation.formatting import money, month_label, percent, short_month
from app.ui.presentation.table import Column, TableState

LOW_COVERAGE = Decimal("0.9")
"""Below this share a coverage cell is flagged."""


@dataclass(frozen=True)
class HygieneLoad:
    hygiene: Hygiene
    rules: list[RuleReport]
    policy: PolicyState
    """The policy read with them: the alias offers are changes of it."""


class HygienePresenter:
    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.last_month = shifted_month(current_month(), -1)
        self.months = 3
        self.coverage = TableState(
            [
                Column("Month"),
                Column("Source"),
                Column("Cost", True),
                *(Column(a.capitalize(), True) for a in ATTRIBUTES),
            ],
            empty_text="No priced usage in these months",
        )
        self.spelling_table = TableState(
            [
                Column("Tag"),
                Column("Means"),
                Column("Written as"),
                Column("Cost", True),
                Column("Offer"),
            ],
            empty_text="No tag value is written several ways",
        )
        self.rules = TableState(
            [
                Column("Rule"),
                Column("Breaches", True),
                Column("At stake", True),
                Column("If followed", True),
                Column("Saving", True),
            ],
            empty_text="No model-use rules: add [[model_rules]] to the policy file "
            "(see the policy file reference)",
        )
        self.breaches = TableState(
            [
                Column("Team"),
                Column("Environment"),
                Column("Model"),
                Column("Cost", True),
                Column("If followed", True),
            ],
            empty_text="Choose a rule to see what broke it",
        )
        self.spellings: list[Spelling] = []
        self.policy: PolicyState | None = None
        self.rule_notes: list[str] = []
        self.reports: list[RuleReport] = []
        self.note = ""

    def month_list(self) -> list[str]:
        return months_ending(self.last_month, self.months)

    @staticmethod
    def month_choices(count: int = 24) -> list[tuple[str, str]]:
        """(label, month) of the months the page can end at, newest first."""
        return [(month_label(m), m) for m in reversed(months_ending(current_month(), count))]

    def fetch_task(self) -> Callable[[], HygieneLoad]:
        workspace, months = self.workspace, self.month_list()

        def run() -> HygieneLoad:
            rows = scan_months(workspace, months)  # once, for both
            return HygieneLoad(
                tag_hygiene(workspace, months, rows),
                model_policy_report(workspace, months, rows),
                policy_state(workspace),
            )

        return run

    def apply(self, load: HygieneLoad) -> None:
        self.policy = load.policy
        rows, alerts = [], {}
        for c in load.hygiene.coverage:
            shares = [c.share(a) for a in ATTRIBUTES]
            if any(s is not None and s < LOW_COVERAGE for s in shares):
                alerts[len(rows)] = "warning"
            rows.append(
                [
                    short_month(c.month),
                    c.source,
                    money(c.cost),
                    *("—" if s is None else percent(s, 1) for s in shares),
                ]
            )
        self.coverage.rows, self.coverage.alerts = rows, alerts
        self.spellings = list(load.hygiene.spellings)
        self.spelling_table.rows = [
            [
                f"tag.{s.tag}",
                s.name if s.known else f"{s.name} (not in the policy)",
                ", ".join(f"“{v}”" for v, _ in s.spellings),
                money(sum((c for _, c in s.spellings), Decimal(0))),
                f"add {', '.join(s.to_add)} as aliases" if s.known else f"add a {s.tag} first",
            ]
            for s in self.spellings
        ]
        self.reports = list(load.rules)
        self.rule_notes = [
            note for r in self.reports for note in (f"{r.rule.name}: {n}" for n in r.notes)
        ]
        self.rules.rows = [
            [
                r.rule.name,
                str(len(r.breaches)),
                money(r.at_stake),
                money(r.if_followed),
                money(r.saving),
            ]
            for r in self.reports
        ]
        self.rules.alerts = {i: "warning" for i, r in enumerate(self.reports) if r.breaches}
        self.breaches.rows = []
        months = self.month_list()
        span = (
            month_label(months[0])
            if len(months) == 1
            else f"{month_label(months[0])} – {month_label(months[-1])}"
        )
        stake = sum((r.at_stake for r in self.reports), Decimal(0))
        self.note = (
            f"{span}. Coverage: the share of cost whose team, product and environment come from "
            f"a rule or a tag (the rest is Unallocated, Unassigned, unknown); amber below "
            f"{percent(LOW_COVERAGE)}. Model-use rules: {money(stake)} at stake."
            + "".join(f" {note}." for note in self.rule_notes)
        )

    def choose_rule(self, row: int) -> None:
        report = self.reports[row] if 0 <= row < len(self.reports) else None
        self.breaches.rows = [
            [b.team, b.environment, b.model, money(b.cost), money(b.followed)]
            for b in (report.breaches if report else ())
        ]

    def spelling_at(self, row: int) -> Spelling | None:
        return self.spellings[row] if 0 <= row < len(self.spellings) else None

    def alias_change(self, spelling: Spelling) -> PolicyChange | None:
        """The change adding ``spelling``'s offered aliases to the policy read with it (no
        database: the editor makes it on its worker)."""
        if self.policy is None or not spelling.known:
            return None
        return alias_change_from(self.policy, spelling.tag, spelling.name, list(spelling.to_add))
