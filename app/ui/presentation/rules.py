"""The rules editor's state (Qt-free): the ordered rules with what each decides in the month,
the rule being edited as a form, and the checks that flag a wrong field as it is typed.

A rule's form reads and writes the policy file's shape (``when``, ``match``, ``team``…); its
problems are found by the same validation as ``config apply``, on the rule alone, so they name
the field at fault.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from app.domain.policy import MATCH_KINDS, RULE_DIMENSIONS
from app.services.explore import tag_dimensions
from app.services.impact_preview import ImpactPreview, preview_change
from app.services.policy import checked_document
from app.services.policy_edits import PolicyChange, PolicyState, policy_state
from app.services.rule_changes import add_rule, change_rule, delete_rule, move_rule
from app.services.rule_usage import Catch, RuleTest, rules_in_use, try_rule
from app.services.workspaces import Workspace
from app.ui.presentation.formatting import count, money, month_label
from app.ui.presentation.monthly import MonthlyPresenter
from app.ui.presentation.table import Column, TableState

MATCH_WORDS = {"exact": "is", "glob": "is like", "regex": "matches"}
"""How a condition reads in the table: ``api_key is like eng-*``."""


def conditions_text(rule: dict[str, Any]) -> str:
    verb = MATCH_WORDS.get(str(rule.get("match", "exact")), "is")
    return " and ".join(f"{k} {verb} {v}" for k, v in dict(rule.get("when", {})).items())


def months_text(rule: dict[str, Any]) -> str:
    start, end = rule.get("valid_from"), rule.get("valid_to")
    if start and end:
        return f"{start} – {end}"
    if start:
        return f"from {start}"
    if end:
        return f"to {end}"
    return "every month"


@dataclass
class RuleForm:
    """The rule being edited; ``position`` is where it is (``None``: a new rule)."""

    conditions: list[tuple[str, str]] = field(default_factory=lambda: [("api_key", "")])
    match: str = "exact"
    team: str = ""
    product: str = ""
    environment: str = ""
    valid_from: str = ""
    valid_to: str = ""
    label: str = ""
    position: int | None = None

    @classmethod
    def of(cls, rule: dict[str, Any], position: int) -> RuleForm:
        return cls(
            [(str(k), str(v)) for k, v in dict(rule.get("when", {})).items()],
            str(rule.get("match", "exact")),
            str(rule.get("team") or ""),
            str(rule.get("product") or ""),
            str(rule.get("environment") or ""),
            str(rule.get("valid_from") or ""),
            str(rule.get("valid_to") or ""),
            str(rule.get("label") or ""),
            position,
        )

    def rule(self) -> dict[str, Any]:
        """The rule as the policy file writes it (empty fields left out)."""
        found: dict[str, Any] = {
            "when": {k.strip(): v for k, v in self.conditions if k.strip()},
            "match": self.match,
        }
        for key in ("team", "product", "environment", "valid_from", "valid_to", "label"):
            value = getattr(self, key).strip()
            if value:
                found[key] = value
        return found


def form_problems(form: RuleForm, mapping: dict[str, Any]) -> list[str]:
    """What is wrong with the rule in ``form`` alone, in the policy ``mapping``'s taxonomy."""
    trial = {
        key: copy.deepcopy(mapping[key])
        for key in ("teams", "products", "environments", "departments")
        if key in mapping
    }
    trial["rules"] = [form.rule()]
    _document, problems = checked_document(trial)
    texts = []
    for problem in problems:
        for where in ("rules[1].", "rules[1]: ", "rules[1]"):
            if problem.startswith(where):
                texts.append(problem[len(where) :].strip())
                break
    if any(k.strip() and not v for k, v in form.conditions):
        texts.append("a condition has no value to match")
    return texts


@dataclass(frozen=True)
class RulesLoad:
    state: PolicyState
    in_use: dict[int, Catch]
    tags: list[str]


class RulesPresenter(MonthlyPresenter):
    """The rules in order, each with what it decides in the chosen month."""

    def __init__(self, workspace: Workspace) -> None:
        super().__init__(workspace)
        self.table = TableState(
            [
                Column("#", True),
                Column("Name"),
                Column("When"),
                Column("Team"),
                Column("Product"),
                Column("Environment"),
                Column("Months"),
                Column("Lines", True),
                Column("Cost", True),
            ],
            empty_text="No rules yet: lines go to teams by tag aliases only",
        )
        self.state: PolicyState | None = None
        self.rules: list[dict[str, Any]] = []
        self.teams: list[str] = []
        self.products: list[str] = []
        self.environments: list[str] = []
        self.fields: list[str] = list(RULE_DIMENSIONS)
        self.summary = ""

    def _fetch(self, period: str) -> RulesLoad:
        state = policy_state(self.workspace)
        return RulesLoad(
            state,
            rules_in_use(self.workspace, period, state.mapping),
            tag_dimensions(self.workspace),
        )

    def _apply(self, load: RulesLoad | None) -> None:
        self.table.rows, self.table.alerts = [], {}
        if load is None:
            self.state, self.rules = None, []
            self.summary = (
                "No usage imported yet: rules can be written, and tested once usage is in."
            )
            return
        self.state = load.state
        mapping = load.state.mapping
        self.rules = list(mapping.get("rules", []))
        self.teams = [str(t.get("name")) for t in mapping.get("teams", [])]
        self.products = [str(p.get("name")) for p in mapping.get("products", [])]
        self.environments = [str(e.get("name")) for e in mapping.get("environments", [])]
        self.fields = [*RULE_DIMENSIONS, *load.tags]
        idle = 0
        for position, rule in enumerate(self.rules, start=1):
            catch = load.in_use.get(position, Catch())
            if not catch.lines:
                idle += 1
                self.table.alerts[position - 1] = "warning"
            self.table.rows.append(
                [
                    str(position),
                    str(rule.get("label") or ""),
                    conditions_text(rule),
                    str(rule.get("team") or ""),
                    str(rule.get("product") or ""),
                    str(rule.get("environment") or ""),
                    months_text(rule),
                    count(catch.lines),
                    money(catch.cost),
                ]
            )
        month = month_label(self.period) if self.period else ""
        self.summary = (
            f"{len(self.rules)} rules, read in order: for each of team, product and "
            f"environment the first rule that matches and sets it wins. Lines and cost are "
            f"what each rule decides in {month}"
            + (f"; {idle} decide nothing this month (in amber)." if idle else ".")
        )

    def form_at(self, row: int) -> RuleForm:
        if 0 <= row < len(self.rules):
            return RuleForm.of(self.rules[row], row + 1)
        return RuleForm()

    def _change_task(
        self, make: Callable[[PolicyState], PolicyChange]
    ) -> Callable[[], tuple[PolicyChange, ImpactPreview]]:
        workspace, period, loaded = self.workspace, self.period, self.state
        assert period is not None

        def prepare() -> tuple[PolicyChange, ImpactPreview]:
            # From the rules shown: if they changed elsewhere since, the stack refuses.
            change = make(loaded if loaded is not None else policy_state(workspace))
            return change, preview_change(workspace, change, period)

        return prepare

    def save_task(self, form: RuleForm) -> Callable[[], tuple[PolicyChange, ImpactPreview]]:
        """The change that saves ``form`` (a new rule, or the one at its position)."""
        rule, position = form.rule(), form.position
        if position is None:
            return self._change_task(lambda state: add_rule(state, rule))
        return self._change_task(lambda state: change_rule(state, position, rule))

    def delete_task(self, position: int) -> Callable[[], tuple[PolicyChange, ImpactPreview]]:
        return self._change_task(lambda state: delete_rule(state, position))

    def move_task(self, position: int, to: int) -> Callable[[], tuple[PolicyChange, ImpactPreview]]:
        return self._change_task(lambda state: move_rule(state, position, to))

    def trial_task(self, form: RuleForm) -> Callable[[], RuleTest]:
        """ "Test this rule": what ``form`` would match and decide this month, where it stands."""
        workspace, period, rule = self.workspace, self.period, form.rule()
        mapping = self.state.mapping if self.state is not None else {}
        position = form.position or len(self.rules) + 1
        replace = form.position is not None
        assert period is not None
        return lambda: try_rule(workspace, period, mapping, rule, position, replace=replace)


def trial_table() -> TableState:
    """The values a tested rule matches (empty until a rule is tested)."""
    return TableState(
        [Column("Values it matches"), Column("Lines", True), Column("Cost", True)],
        empty_text="It matches no line this month",
    )


def trial_text(result: RuleTest) -> tuple[str, TableState]:
    """How a rule test reads: one sentence and the values it matches."""
    table = trial_table()
    if result.problems:
        return "This rule cannot run: " + "; ".join(result.problems), table
    month = month_label(result.period)
    matched, decided = result.matched, result.decided
    table.rows = [[v.value, count(v.catch.lines), money(v.catch.cost)] for v in result.values]
    if not matched.lines:
        return f"It matches no line of {month}.", table
    text = (
        f"In {month} it matches {count(matched.lines)} lines ({money(matched.cost)}) and "
        f"decides {count(decided.lines)} of them ({money(decided.cost)}) where it stands"
    )
    if decided.lines < matched.lines:
        text += "; earlier rules decide the rest"
    return text + ".", table


MATCH_HELP = {
    "exact": "the whole value, ignoring case",
    "glob": "* any text, ? one character, ignoring case",
    "regex": "a regular expression found anywhere in the value (RE2: no back-references)",
}
assert set(MATCH_HELP) == set(MATCH_KINDS)
