"""Exporters: domain objects to files (xlsx, pdf, csv, FOCUS, GL journal); no database access."""
