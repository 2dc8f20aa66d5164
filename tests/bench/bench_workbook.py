"""Workbook benchmark: the Excel pack with 100k usage-detail rows (``make bench``)."""

from __future__ import annotations

import random
import resource
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from app.domain.allocated_lines import AllocatedSlice
from exporters.xlsx_pack import WorkbookData, write_workbook


def main(rows: int = 100_000) -> None:
    rng = random.Random(1)
    slices = [
        AllocatedSlice(
            f"Team {i % 50:02d}",
            f"product-{i % 12}",
            "prod",
            "claude-sonnet-4-6",
            f"2026-10-{i % 31 + 1:02d}",
            Decimal(rng.randint(1, 10**6)) / 10**4,
            rng.randint(1, 10**5),
        )
        for i in range(rows)
    ]
    invoices = [
        {
            "team": f"Team {i:02d}",
            "number": None,
            "cost_center": str(4000 + i),
            "lines": [
                {"kind": "usage", "label": "claude-sonnet-4-6", "amount": "100.00", "trail": []}
            ],
            "total": "100.00",
        }
        for i in range(50)
    ]
    document = {
        "period": "2026-10",
        "currency": "USD",
        "status": "draft",
        "invoices": invoices,
        "unallocated": "0.00",
        "grand_total": "5000.00",
    }
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "pack.xlsx"
        start = time.perf_counter()
        write_workbook(path, WorkbookData("Bench", document, slices))
        seconds = time.perf_counter() - start
        size = path.stat().st_size / 1e6
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"Excel pack with {rows:,} usage-detail rows and 50 team sheets: {seconds:.2f} s, "
        f"{size:.1f} MB, peak memory {peak:.0f} MB"
    )


if __name__ == "__main__":
    main()
