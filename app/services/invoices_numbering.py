"""Invoice numbers: ``CB-YYYYMM-<TEAMCODE>`` with a code unique within the period."""

from __future__ import annotations

from app.domain.policy import Policy, Team


def invoice_codes(policy: Policy, teams: list[str]) -> dict[str, str]:
    codes: dict[str, str] = {}
    used: set[str] = set()
    for name in teams:
        team = policy.team(name) or Team(name)
        code = team.invoice_code()
        candidate, suffix = code, 2
        while candidate in used:
            candidate = f"{code}{suffix}"
            suffix += 1
        used.add(candidate)
        codes[name] = candidate
    return codes
