"""The SQLite workspace: schema, migrations, and queries that aggregate in SQL."""
