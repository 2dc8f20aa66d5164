"""Databases for tests of shared workspaces, on the throwaway cluster (tests.throwaway_postgres).

A new workspace is a copy of a template database migrated once per test run (CREATE DATABASE …
TEMPLATE), and is dropped after its test: a copy takes a few hundredths of a second, creating
the schema through every migration half a second.
"""

from __future__ import annotations

import itertools
import os

from sqlalchemy.engine import make_url

EMPTY_TEMPLATE = "cbdesk_empty_template"


class ServerDatabases:
    """Makes and drops the test databases of one cluster (``admin_url``: a superuser's)."""

    def __init__(self, admin_url: str) -> None:
        self.admin_url = admin_url
        self._numbers = itertools.count(1)
        self._templates: set[str] = set()
        self._prefix = f"t{os.getpid()}_"

    def _admin(self):  # type: ignore[no-untyped-def]
        import psycopg

        return psycopg.connect(self.admin_url, autocommit=True)  # host, port, password as given

    def url_of(self, database: str) -> str:
        return make_url(self.admin_url).set(database=database).render_as_string(False)

    def create_empty(self, name: str | None = None) -> str:
        """A new empty database (as an administrator makes one); its URL."""
        name = name or f"{self._prefix}{next(self._numbers)}"
        with self._admin() as admin:
            admin.execute(
                f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C'"
            )
        return self.url_of(name)

    def template(self, name: str, build) -> str:  # type: ignore[no-untyped-def]
        """The template ``name``, built once by ``build(url)`` (which must close its engine)."""
        if name not in self._templates:
            with self._admin() as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            build(self.create_empty(name))
            self._templates.add(name)
        return name

    def copy_of(self, template: str) -> str:
        """A new database copied from ``template``; its URL."""
        name = f"{self._prefix}{next(self._numbers)}"
        with self._admin() as admin:
            # PostgreSQL 15 copies a template through its log by default: files are faster.
            fast = admin.info.server_version >= 150000
            strategy = " STRATEGY FILE_COPY" if fast else ""
            admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"{strategy}')
        return self.url_of(name)

    def new_workspace_url(self) -> str:
        """A new database holding an empty workspace named 'test'."""
        from app.workspace.db import create_workspace

        def build(url: str) -> None:
            create_workspace(url, name="test").dispose()

        return self.copy_of(self.template(EMPTY_TEMPLATE, build))

    def drop(self, url: str) -> None:
        name = make_url(url).database
        with self._admin() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
