"""Chargeback Desk: turn one Claude (Anthropic API) bill into accountable cost per team."""

import os

__version__ = "0.1.0"

# Qt seeds its hash tables at random per process, and its PDF writer orders the embedded fonts
# by them: the same closed month's PDF would differ from one run to the next. A fixed seed,
# set before Qt is loaded, keeps every closed month's PDF byte-for-byte the same.
os.environ.setdefault("QT_HASH_SEED", "0")
