"""Use cases: one function per user action; the only layer that combines the others."""
