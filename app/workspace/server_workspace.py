"""Creating and opening a shared workspace in a PostgreSQL database (issue 14).

The database is made by the team's administrator (README: "A shared workspace"); the app
creates its tables in it with the same migrations as a file, and refuses a database that sorts
text differently from a file (results would be ordered differently) or holds something else.
A role that may read but not insert is given the workspace read-only, with the reason.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine, text

from app.workspace.db import (
    OUR_TABLES,
    SCHEMA_HEAD,
    Workspace,
    WorkspaceError,
    first_settings,
    head_revision,
    known_revision,
    newer_schema,
    upgrade_schema,
)
from app.workspace.locations import server_label, without_password
from app.workspace.postgres_engine import describe_server_error, make_engine

SORT_PROBE = ("a", "B", "~", "1", "_", "z", "é", "-", " ")
"""Text whose byte order differs from every language's order."""


class PasswordNeeded(WorkspaceError):
    """The server asks for a password that none of libpq's usual places gave."""

    def __init__(self, message: str, url: str) -> None:
        super().__init__(message)
        self.url = url
        """The workspace asking (without password)."""


def _failure(exc: BaseException, url: str) -> WorkspaceError:
    error = getattr(exc, "orig", exc)
    message = str(error)
    if "no password supplied" in message or "password authentication failed" in message:
        return PasswordNeeded(
            f"{server_label(url)} asks for a password: give it in the window, in ~/.pgpass or "
            f"in PGPASSWORD",
            without_password(url),
        )
    described = describe_server_error(exc)
    if described is None:
        import psycopg

        if not isinstance(error, psycopg.Error):
            raise exc
        # The server's own first line (a concurrent init, say), never the statement.
        first_line = message.strip().splitlines()[0] if message.strip() else type(error).__name__
        described = f"the server refused: {first_line}"
    return WorkspaceError(f"{server_label(url)}: {described}")


@contextmanager
def _given_up_on_failure(engine: Engine, url: str) -> Iterator[None]:
    """Close ``engine`` if the block fails; a server's error becomes a sentence for the user."""
    try:
        yield
    except WorkspaceError:
        engine.dispose()
        raise
    except Exception as exc:
        engine.dispose()
        raise _failure(exc, url) from None


def _connect_engine(url: str, password: str | None) -> Engine:
    try:
        return make_engine(url, password=password)
    except Exception:  # a malformed URL (its text, which may hold a password, is not repeated)
        raise WorkspaceError(
            "The address is not a database URL; it reads postgresql://USER@SERVER:PORT/DATABASE"
        ) from None


def _our_tables(conn: Connection) -> set[str]:
    found = conn.execute(
        text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
    ).scalars()
    return set(found)


def _check_database(conn: Connection, url: str) -> None:
    """Refuse a database whose text would sort or encode differently from a workspace file."""
    encoding, collation = conn.execute(
        text(
            "SELECT pg_encoding_to_char(encoding), datcollate FROM pg_database "
            "WHERE datname = current_database()"
        )
    ).one()
    # Asked of the server's sort itself: a locale provider (ICU) may stand behind any name.
    server_order = conn.execute(
        text("SELECT string_agg(v, '' ORDER BY v) FROM unnest(CAST(:values AS TEXT[])) AS v"),
        {"values": list(SORT_PROBE)},
    ).scalar()
    if encoding != "UTF8" or server_order != "".join(sorted(SORT_PROBE)):
        raise WorkspaceError(
            f"{server_label(url)} does not sort text in byte order (locale {collation}, "
            f"encoding {encoding}); a workspace needs byte order and UTF-8, as in a workspace "
            f"file, so that every list and total comes out the same. Ask the "
            f"administrator to create the database with: CREATE DATABASE name TEMPLATE "
            f"template0 ENCODING 'UTF8' LOCALE 'C'"
        )


def _role_may_write(conn: Connection) -> bool:
    return bool(
        conn.execute(
            text(
                "SELECT has_table_privilege(current_user, 'import_batches', 'INSERT') "
                "AND has_table_privilege(current_user, 'usage_lines', 'UPDATE')"
            )
        ).scalar()
    )


def _role_owns_workspace(conn: Connection) -> bool:
    """Whether the role may change the workspace's tables (an upgrade): it owns them, or is a
    member of the role that does."""
    return bool(
        conn.execute(
            text(
                "SELECT pg_has_role(current_user, tableowner, 'USAGE') FROM pg_tables "
                "WHERE schemaname = current_schema() AND tablename = 'alembic_version'"
            )
        ).scalar()
    )


def _role_may_create_tables(conn: Connection) -> bool:
    return bool(
        conn.execute(
            text("SELECT has_schema_privilege(current_user, current_schema(), 'CREATE')")
        ).scalar()
    )


def _current_role(conn: Connection) -> str:
    return str(conn.execute(text("SELECT current_user")).scalar())


def open_server_workspace(url: str, *, password: str | None = None) -> Workspace:
    """Open the workspace in the database at ``url``, upgrading its schema when the role may."""
    engine = _connect_engine(url, password)
    shown = without_password(url)
    with _given_up_on_failure(engine, url):
        with engine.connect() as conn:
            tables = _our_tables(conn)
            if not tables:
                raise WorkspaceError(
                    f"No workspace in {server_label(url)}; create one with "
                    f"'chargeback-desk init {shown}'."
                )
            if not tables >= OUR_TABLES:
                raise WorkspaceError(
                    f"{server_label(url)} holds other tables, not a Chargeback Desk workspace."
                )
            _check_database(conn, url)  # a restore into another locale would sort otherwise
            current = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
            may_write = _role_may_write(conn)
            may_upgrade = _role_owns_workspace(conn)
            role = _current_role(conn)
        if current != SCHEMA_HEAD:
            if not known_revision(current):
                raise newer_schema(str(current))
            if current != head_revision():
                if not may_upgrade:
                    raise WorkspaceError(
                        f"{server_label(url)} needs an upgrade to this version's schema, which "
                        f"only its owner role may make (yours is {role}); ask the administrator "
                        f"to open it once as the owner"
                    )
                upgrade_schema(engine)
    reason = (
        ""
        if may_write
        else (
            f"your database role ({role}) may read {server_label(url)} but not change it: "
            f"importing, editing and closing are for the editor role"
        )
    )
    return Workspace(
        None, engine, read_only=not may_write, url=shown, read_only_reason=reason, role=role
    )


def create_server_workspace(
    url: str,
    name: str | None = None,
    *,
    password: str | None = None,
    fill: Callable[[Connection], None] | None = None,
) -> Workspace:
    """Create a workspace in the empty database at ``url`` (made by the administrator): the
    schema and ``fill`` (default: the first settings) in one transaction."""
    engine = _connect_engine(url, password)
    shown = without_password(url)
    with _given_up_on_failure(engine, url):
        with engine.connect() as conn:
            _check_database(conn, url)
            if _our_tables(conn) & OUR_TABLES:
                raise WorkspaceError(
                    f"{server_label(url)} already holds a workspace; open it instead."
                )
            if not _role_may_create_tables(conn):
                raise WorkspaceError(
                    f"your role ({_current_role(conn)}) may not create tables in "
                    f"{server_label(url)}: a workspace is made there by its owner role (see "
                    f"docs/shared-workspace.sql)"
                )
        upgrade_schema(engine, fill or first_settings(name or server_label(url).split(" on ")[0]))
    return Workspace(None, engine, url=shown)
