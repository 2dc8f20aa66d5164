"""Deterministic generator of large gateway request logs (13 columns) for the import benchmark."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

HEADER = (
    "timestamp,request_id,team,department,product,environment,model,input_tokens,"
    "output_tokens,cache_read_input_tokens,cache_creation_input_tokens,is_batch,web_searches\n"
)
TEAMS = [(f"team-{i:02d}", f"dept-{i % 7}") for i in range(50)]
PRODUCTS = [f"product-{i}" for i in range(12)]
ENVIRONMENTS = ["prod", "staging", "dev"]
MODELS = [
    "claude-opus-4-7",
    "claude-sonnet-4-6",
    "claude-haiku-4-5",
    "claude-sonnet-4-5",
    "claude-3-5-haiku-20241022",
]


def october_stamps(rng: np.random.Generator, n: int) -> np.ndarray:
    """``n`` sorted times of October 2026 to the second, ISO text without a zone."""
    seconds = np.sort(rng.integers(0, 31 * 24 * 3600, n))
    start = np.datetime64("2026-10-01T00:00:00")
    return np.datetime_as_string(start + seconds.astype("timedelta64[s]"), unit="s")


def write_in_chunks(
    path: Path, header: str, rows: int, chunk: int, chunk_text: Callable[[int, int], str]
) -> Path:
    """Write ``header`` then ``rows`` rows, ``chunk_text(n, first)`` making ``n`` rows whose
    request numbers start at ``first`` (a big file never sits in memory whole)."""
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(header)
        written = 0
        while written < rows:
            n = min(chunk, rows - written)
            out.write(chunk_text(n, written))
            written += n
    return path


def write_gateway_log(path: Path, rows: int, seed: int = 20261001, chunk: int = 200_000) -> Path:
    """Write ``rows`` requests of October 2026 to ``path``; same seed, same bytes."""
    rng = np.random.default_rng(seed)

    def chunk_text(n: int, first: int) -> str:
        stamps = october_stamps(rng, n)
        team_idx = rng.integers(0, len(TEAMS), n)
        # Each team works on two products with two models, as real teams do.
        product_idx = (team_idx * 2 + rng.integers(0, 2, n)) % len(PRODUCTS)
        env_idx = rng.choice(3, n, p=[0.7, 0.2, 0.1])
        model_idx = (team_idx + rng.choice(2, n, p=[0.7, 0.3])) % len(MODELS)
        inputs = rng.integers(50, 40_000, n)
        outputs = rng.integers(10, 4_000, n)
        cache_reads = np.where(rng.random(n) < 0.3, rng.integers(0, 80_000, n), 0)
        cache_writes = np.where(rng.random(n) < 0.1, rng.integers(0, 20_000, n), 0)
        batch = (team_idx % 5 == 0) & (rng.random(n) < 0.5)
        searches = np.where(rng.random(n) < 0.02, rng.integers(1, 5, n), 0)
        lines = []
        for i in range(n):
            team, dept = TEAMS[team_idx[i]]
            lines.append(
                f"{stamps[i]}Z,req_{first + i:014d},{team},{dept},"
                f"{PRODUCTS[product_idx[i]]},{ENVIRONMENTS[env_idx[i]]},{MODELS[model_idx[i]]},"
                f"{inputs[i]},{outputs[i]},{cache_reads[i]},{cache_writes[i]},"
                f"{'true' if batch[i] else 'false'},{searches[i]}\n"
            )
        return "".join(lines)

    return write_in_chunks(path, HEADER, rows, chunk, chunk_text)
