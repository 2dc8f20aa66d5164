"""Normalisation of model identifiers to one canonical id per model.

Dated ids (``claude-3-5-haiku-20241022``), Console display names (``Claude Sonnet 4.6``),
provider prefixes (``anthropic/…``, ``anthropic.…-v1:0``), Vertex ``@date`` and ``[1m]``
suffixes map to the same id as the price book uses (``claude-3-5-haiku``, ``claude-sonnet-4-6``).
"""

from __future__ import annotations

import re

_DATE_SUFFIX = re.compile(r"-(\d{8})$")
_VERTEX_SUFFIX = re.compile(r"@\d{8}$")
_BEDROCK_VERSION = re.compile(r"-v\d+(:\d+)?$")
_LATEST_SUFFIX = re.compile(r"-latest$")
_CONTEXT_SUFFIX = re.compile(r"\[1m\]$")
"""Claude Code's name for the 1M-context variant (``claude-sonnet-4-5[1m]``): the same model,
whose long requests the prompt size decides (CHARGEBACK_MATH.md §1)."""
_PROVIDER_PREFIXES = (
    "anthropic/",
    "anthropic.",
    "bedrock/",
    "vertex_ai/",
    "us.anthropic.",
    "eu.anthropic.",
    "apac.anthropic.",
    "global.anthropic.",
)
_SEPARATORS = re.compile(r"[\s._]+")


def normalise_model_id(raw: str | None) -> str:
    """Return the canonical model id for any spelling a source uses; ``""`` for none."""
    if raw is None:
        return ""
    text = raw.strip().lower()
    if not text:
        return ""
    changed = True
    while changed:
        changed = False
        for prefix in _PROVIDER_PREFIXES:
            if text.startswith(prefix):
                text = text[len(prefix) :]
                changed = True
    text = _CONTEXT_SUFFIX.sub("", text).strip()
    text = _VERTEX_SUFFIX.sub("", text)
    text = _BEDROCK_VERSION.sub("", text)
    text = _DATE_SUFFIX.sub("", text)
    text = _LATEST_SUFFIX.sub("", text)
    if text.startswith("claude"):
        # Display names ("claude sonnet 4.6") and dotted versions become dashes.
        text = _SEPARATORS.sub("-", text)
        text = re.sub(r"-+", "-", text).strip("-")
    return text


def display_name(model_id: str) -> str:
    """A readable label for a canonical id (``claude-sonnet-4-6`` → ``Claude Sonnet 4.6``)."""
    if not model_id.startswith("claude-"):
        return model_id
    parts = model_id.split("-")[1:]
    words: list[str] = []
    digits: list[str] = []
    for part in parts:
        if part.isdigit():
            digits.append(part)
        else:
            if digits:
                words.append(".".join(digits))
                digits = []
            words.append(part.capitalize())
    if digits:
        words.append(".".join(digits))
    return "Claude " + " ".join(words)
