"""Chargeback Desk: turn one Claude (Anthropic API) bill into accountable cost per team."""

__version__ = "0.1.0"
