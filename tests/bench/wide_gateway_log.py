"""Deterministic generator of high-cardinality gateway logs, as real companies produce them.

Thousands of API keys and users with skewed traffic (a few keys carry most requests), hundreds of
teams and products, current and dated model ids, cache reads and writes, batch and priority rows,
and a policy file mapping the teams (their ``team`` tag) to invoiced teams with a shared pool.
Same seed, same bytes.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from tests.bench.gateway_log import october_stamps, write_in_chunks

HEADER = (
    "timestamp,request_id,api_key,user,team,product,environment,model,service_tier,"
    "input_tokens,output_tokens,cache_read_input_tokens,cache_creation_input_tokens,web_searches\n"
)
TEAM_COUNT = 300
DEPARTMENT_COUNT = 24
PRODUCT_COUNT = 400
USER_COUNT = 2_000
KEY_COUNT = 5_000
ENVIRONMENTS = ["prod", "staging", "dev"]
MODELS = [
    "claude-opus-4-7",
    "claude-sonnet-4-6",
    "claude-haiku-4-5",
    "claude-sonnet-4-5-20250929",
    "claude-haiku-4-5-20251001",
    "claude-opus-4-5-20251101",
    "claude-opus-4-6",
]
MODEL_WEIGHTS = [0.12, 0.38, 0.25, 0.08, 0.07, 0.04, 0.06]


def team_name(index: int) -> str:
    return f"team-{index:03d}"


def _population(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Who owns what: keys and users belong to teams, teams to departments and products."""
    # Team sizes are skewed too: some teams have dozens of keys, most have a handful.
    team_weight = 1.0 / np.arange(1, TEAM_COUNT + 1) ** 0.7
    team_weight /= team_weight.sum()
    key_team = rng.choice(TEAM_COUNT, KEY_COUNT, p=team_weight)
    user_team = rng.choice(TEAM_COUNT, USER_COUNT, p=team_weight)
    # A key is used by one person of its team (or a service user when the team has nobody).
    key_user = np.empty(KEY_COUNT, dtype=np.int64)
    for key in range(KEY_COUNT):
        members = np.flatnonzero(user_team == key_team[key])
        key_user[key] = rng.choice(members) if len(members) else key % USER_COUNT
    key_weight = 1.0 / np.arange(1, KEY_COUNT + 1) ** 1.05
    rng.shuffle(key_weight)
    key_weight /= key_weight.sum()
    team_products = rng.integers(0, PRODUCT_COUNT, (TEAM_COUNT, 2))
    team_model = rng.choice(len(MODELS), (TEAM_COUNT, 2), p=MODEL_WEIGHTS)
    return {
        "key_team": key_team,
        "key_user": key_user,
        "key_weight": key_weight,
        "team_products": team_products,
        "team_model": team_model,
    }


def write_wide_gateway_log(
    path: Path, rows: int, seed: int = 20261101, chunk: int = 250_000
) -> Path:
    """Write ``rows`` requests of October 2026 to ``path``."""
    rng = np.random.default_rng(seed)
    people = _population(rng)
    key_names = np.array([f"key-{i:05d}" for i in range(KEY_COUNT)], dtype=object)
    user_names = np.array([f"user{i:04d}@example.com" for i in range(USER_COUNT)], dtype=object)
    team_names = np.array([team_name(i) for i in range(TEAM_COUNT)], dtype=object)
    product_names = np.array([f"product-{i:03d}" for i in range(PRODUCT_COUNT)], dtype=object)

    def chunk_text(n: int, first: int) -> str:
        stamps = october_stamps(rng, n)
        key = rng.choice(KEY_COUNT, n, p=people["key_weight"])
        team = people["key_team"][key]
        user = people["key_user"][key]
        product = people["team_products"][team, rng.choice(2, n, p=[0.8, 0.2])]
        environment = rng.choice(3, n, p=[0.8, 0.13, 0.07])
        model = people["team_model"][team, rng.choice(2, n, p=[0.85, 0.15])]
        tier = np.where(rng.random(n) < 0.06, 1, np.where(rng.random(n) < 0.02, 2, 0))
        inputs = rng.integers(50, 30_000, n)
        outputs = rng.integers(10, 3_000, n)
        cache_reads = np.where(rng.random(n) < 0.35, rng.integers(0, 60_000, n), 0)
        cache_writes = np.where(rng.random(n) < 0.1, rng.integers(0, 15_000, n), 0)
        searches = np.where(rng.random(n) < 0.01, rng.integers(1, 4, n), 0)
        tiers = np.array(["standard", "batch", "priority"], dtype=object)[tier]
        columns = [
            np.char.add(stamps, "Z").astype(object),
            np.array([f"req_{first + i:014d}" for i in range(n)], dtype=object),
            key_names[key],
            user_names[user],
            team_names[team],
            product_names[product],
            np.array(ENVIRONMENTS, dtype=object)[environment],
            np.array(MODELS, dtype=object)[model],
            tiers,
            inputs.astype(str).astype(object),
            outputs.astype(str).astype(object),
            cache_reads.astype(str).astype(object),
            cache_writes.astype(str).astype(object),
            searches.astype(str).astype(object),
        ]
        return "".join(",".join(row) + "\n" for row in zip(*columns, strict=True))

    return write_in_chunks(path, HEADER, rows, chunk, chunk_text)


def wide_policy_toml() -> str:
    """A policy for the wide log: every team tag aliased to its team, two pools, overhead."""
    lines = ["version = 1", "", "[settings]", 'overhead_rate = "0.08"', ""]
    for index in range(DEPARTMENT_COUNT):
        lines += ["[[departments]]", f'name = "Department {index:02d}"', ""]
    for index in range(TEAM_COUNT):
        lines += [
            "[[teams]]",
            f'name = "Team {index:03d}"',
            f'department = "Department {index % DEPARTMENT_COUNT:02d}"',
            f'cost_center = "{4000 + index}"',
            f'aliases = ["{team_name(index)}"]',
            "",
        ]
    lines += ["[[products]]", 'name = "Shared tooling"', ""]
    lines += [
        "[[rules]]",
        'when = { api_key = "key-000*" }',
        'match = "glob"',
        'product = "Shared tooling"',
        "",
        "[[rules]]",
        "when = { user = '^user00[0-4][0-9]@example\\.com$', \"tag.environment\" = 'dev' }",
        'match = "regex"',
        'team = "Team 002"',
        "",
    ]
    for index in range(TEAM_COUNT):
        lines += [
            "[[budgets]]",
            f'team = "Team {index:03d}"',
            'month = "2026-10"',
            f'amount = "{500 + (index * 37) % 4000}.00"',
            "",
        ]
    lines += [
        "[[pools]]",
        'team = "Team 000"',
        'method = "proportional"',
        "",
        "[[pools]]",
        'team = "Team 001"',
        'method = "even"',
        "",
    ]
    return "\n".join(lines)
