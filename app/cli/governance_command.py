"""``hygiene`` (tag coverage and spellings, and adding the offered aliases) and
``model-policy`` (each model-use rule's breaches, with the cost at stake and had it been
followed)."""

from __future__ import annotations

import argparse
import json
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from app.domain.attribution import ATTRIBUTES
from app.domain.money import format_money
from app.domain.periods import months_ending

if TYPE_CHECKING:  # the services load when the command runs, not with the parser
    from app.services.workspaces import Workspace


def add_parsers(sub: Any, workspace_option: Any) -> None:
    for name, text in (
        ("hygiene", "tag coverage per month and source; spellings to add as aliases"),
        ("model-policy", "the model-use rules of the policy, and what broke them"),
    ):
        command = sub.add_parser(name, help=text)
        workspace_option(command)
        command.add_argument("--period", required=True, metavar="YYYY-MM", help="the last month")
        command.add_argument("--months", type=int, default=1, help="months up to it (1)")
        command.add_argument("--json", action="store_true")
        if name == "hygiene":
            command.add_argument(
                "--add-aliases",
                action="store_true",
                help="add every spelling offered for a known name as its alias (audited)",
            )


def _months(args: argparse.Namespace) -> list[str]:
    from app.services.reporting import check_period

    check_period(args.period)
    if not 1 <= args.months <= 36:
        raise ValueError(f"--months: from 1 to 36, not {args.months}")
    return months_ending(args.period, args.months)


def _share(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.4f}"


def run_hygiene(args: argparse.Namespace, workspace: Workspace) -> str:
    from app.services.policy_edits import EditStack
    from app.services.tag_hygiene import alias_change, tag_hygiene

    hygiene = tag_hygiene(workspace, _months(args))
    if args.add_aliases:
        stack, said = EditStack(workspace), []
        for spelling in hygiene.spellings:
            if spelling.known:
                stack.apply(
                    alias_change(workspace, spelling.tag, spelling.name, list(spelling.to_add))
                )
                said += [
                    f"{s} added as an alias of {spelling.tag} {spelling.name}"
                    for s in spelling.to_add
                ]
        return "\n".join(said) or "No spelling of a known name to add"
    if args.json:
        return json.dumps(
            {
                "coverage": [
                    {
                        "month": c.month,
                        "source": c.source,
                        "cost": format_money(c.cost),
                        **{a: _share(c.share(a)) for a in ATTRIBUTES},
                    }
                    for c in hygiene.coverage
                ],
                "spellings": [
                    {
                        "tag": s.tag,
                        "name": s.name,
                        "known": s.known,
                        "spellings": [
                            {"value": v, "cost": format_money(c)} for v, c in s.spellings
                        ],
                        "to_add": list(s.to_add),
                    }
                    for s in hygiene.spellings
                ],
            },
            indent=2,
        )
    lines = ["Share of cost with a team / product / environment from a rule or a tag:"]
    lines += [
        f"  {c.month}  {c.source:<24} {c.cost:>12,.2f}  "
        + "  ".join(f"{a} {c.share(a) * 100 if c.cost else 0:5.1f}%" for a in ATTRIBUTES)
        for c in hygiene.coverage
    ]
    lines.append("")
    if not hygiene.spellings:
        lines.append("No tag value is written several ways.")
    for s in hygiene.spellings:
        written = ", ".join(f"{v!r} ({c:,.2f})" for v, c in s.spellings)
        offer = (
            f"add {', '.join(repr(v) for v in s.to_add)} as aliases of {s.tag} {s.name} "
            f"(--add-aliases)"
            if s.known
            else f"no {s.tag} of that name: add one, with these as aliases"
        )
        lines.append(f"tag.{s.tag}: {written} → {offer}")
    return "\n".join(lines)


def run_model_policy(args: argparse.Namespace, workspace: Workspace) -> str:
    from app.services.model_policy import model_policy_report

    reports = model_policy_report(workspace, _months(args))
    if args.json:
        return json.dumps(
            {
                "rules": [
                    {
                        "rule": r.rule.name,
                        "demand": r.rule.demand,
                        "at_stake": format_money(r.at_stake),
                        "if_followed": format_money(r.if_followed),
                        "saving": format_money(r.saving),
                        "notes": r.notes,
                        "breaches": [
                            {
                                "team": b.team,
                                "environment": b.environment,
                                "model": b.model,
                                "cost": format_money(b.cost),
                                "if_followed": format_money(b.followed),
                            }
                            for b in r.breaches
                        ],
                    }
                    for r in reports
                ]
            },
            indent=2,
        )
    if not reports:
        return "The policy has no [[model_rules]]: see docs/policy-file.md"
    lines = []
    for r in reports:
        lines.append(
            f"{r.rule.name}: {r.at_stake:,.2f} at stake, {r.if_followed:,.2f} had it been "
            f"followed (saves {r.saving:,.2f})"
        )
        lines += [
            f"  {b.team:<20} {b.environment:<12} {b.model:<24} {b.cost:>10,.2f} → "
            f"{b.followed:>10,.2f}"
            for b in r.breaches
        ] or ["  no breach"]
        lines += [f"  ({note})" for note in r.notes]
    return "\n".join(lines)
