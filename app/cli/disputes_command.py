"""``disputes``: contested lines of closed statements and invoices — list them (with
filters), record one, accept it (moving its amount on the team's next open month) or reject
it with a reason."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any

from app.domain.disputes import STATUSES

if TYPE_CHECKING:  # the services load when the command runs, not with the parser
    from app.services.disputes import Dispute
    from app.services.workspaces import Workspace


def add_parser(sub: Any, workspace_option: Any) -> None:
    disputes = sub.add_parser(
        "disputes", help="contested invoice lines: list, record, accept or reject"
    )
    workspace_option(disputes)
    disputes.add_argument("--status", choices=STATUSES, help="only disputes with this status")
    disputes.add_argument("--team", help="only this team's disputes")
    disputes.add_argument("--period", metavar="YYYY-MM", help="only disputes of this month")
    disputes.add_argument("--json", action="store_true")
    actions = disputes.add_subparsers(dest="disputes_command", metavar="ACTION")
    record = actions.add_parser("record", help="record a team lead's dispute of a closed line")
    record.add_argument("--period", dest="month", required=True, metavar="YYYY-MM")
    record.add_argument("--team", dest="of_team", required=True)
    record.add_argument(
        "--line", required=True, help="the line's label, or its number (1 for the first)"
    )
    record.add_argument("--amount", required=True, help="the amount contested, e.g. 120.00")
    record.add_argument("--by", required=True, help="who raised it, e.g. 'Dana (Web lead)'")
    record.add_argument("--reason", required=True)
    accept = actions.add_parser(
        "accept", help="accept: the amount moves on the team's next open month"
    )
    accept.add_argument("dispute", metavar="D-N")
    accept.add_argument(
        "--move-to", required=True, metavar="TEAM", help="the team now charged, or Unallocated"
    )
    accept.add_argument("--amount", help="accept part of it (default: all)")
    accept.add_argument("--reason", default="")
    reject = actions.add_parser("reject", help="reject, with the reason the team lead reads")
    reject.add_argument("dispute", metavar="D-N")
    reject.add_argument("--reason", required=True)


def _decided(dispute: Dispute) -> str:
    if dispute.status == "rejected":
        return f"{dispute.code} rejected: {dispute.decision_reason}"
    if dispute.lands_in is None:
        return (
            f"{dispute.code} accepted; {dispute.document_number} is a showback statement, "
            f"which charged nothing: no money moves"
        )
    return (
        f"{dispute.code} accepted: {dispute.accepted_amount} moves from {dispute.team} to "
        f"{dispute.move_to} on {dispute.lands_in}"
    )


def _line(dispute: Dispute) -> str:
    text = (
        f"{dispute.code}  {dispute.status:<8}  {dispute.period}  {dispute.team}  "
        f"{dispute.document_number}  {dispute.line_label}  {dispute.amount} of "
        f"{dispute.line_amount}  by {dispute.raised_by}: {dispute.reason}"
    )
    if dispute.status != "open":
        text += f"\n      {_decided(dispute)}"
    return text


def run(args: argparse.Namespace, workspace: Workspace) -> str:
    from app.services.disputes import (
        accept_dispute,
        list_disputes,
        record_dispute,
        reject_dispute,
    )

    action = args.disputes_command
    if action == "record":
        dispute = record_dispute(
            workspace, args.month, args.of_team, args.line, args.amount, args.by, args.reason
        )
        return (
            f"{dispute.code} recorded (open): {dispute.team} contests {dispute.amount} of "
            f"{dispute.line_label} on {dispute.document_number}"
        )
    if action == "accept":
        return _decided(
            accept_dispute(workspace, args.dispute, args.move_to, args.reason, args.amount)
        )
    if action == "reject":
        return _decided(reject_dispute(workspace, args.dispute, args.reason))
    found = list_disputes(workspace, args.status, args.team, args.period)
    if args.json:
        return json.dumps({"disputes": [d.as_json() for d in found]}, indent=2)
    if not found:
        return "No disputes" + (" match" if args.status or args.team or args.period else " yet")
    return "\n".join(_line(d) for d in found)
