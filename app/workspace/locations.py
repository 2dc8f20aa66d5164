"""Where a workspace lives: a ``.cbdesk`` file, or a database on a PostgreSQL server named by
its ``postgresql://`` URL. URLs are shown and remembered without their password."""

from __future__ import annotations

from pathlib import Path

SERVER_SCHEMES = ("postgresql://", "postgres://", "postgresql+psycopg://")


def is_server_location(location: str | Path) -> bool:
    """Whether ``location`` names a database on a server (else it is a file)."""
    return isinstance(location, str) and location.strip().lower().startswith(SERVER_SCHEMES)


def without_password(url: str) -> str:
    """``url`` with any password removed (what is shown, logged and remembered)."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url.strip())
    if parsed.drivername != "postgresql":
        parsed = parsed.set(drivername="postgresql")
    # URL.set() leaves a field alone when given None: the field is replaced instead. libpq
    # also takes the password as a parameter (?password=…).
    parsed = parsed._replace(password=None).difference_update_query(["password"])
    shown = parsed.render_as_string(hide_password=False)
    return shown.replace("%2F", "/")  # a socket folder (host=/run/postgresql) reads as typed


def server_label(url: str) -> str:
    """A short name for a server workspace: ``database on host`` (the socket folder's host is
    ``this computer``)."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url.strip())
    host = parsed.host or str(parsed.query.get("host", "")) or ""
    if not host or host.startswith("/") or host in {"localhost", "127.0.0.1", "::1"}:
        host = "this computer"
    return f"{parsed.database or 'postgres'} on {host}"


def has_password(url: str) -> bool:
    """Whether ``url`` holds a password (before the host, or as a parameter)."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url.strip())
    return parsed.password is not None or "password" in parsed.query


def password_in(url: str) -> str | None:
    """The password ``url`` holds, if any (to use once, never to show or keep)."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url.strip())
    if parsed.password is not None:
        return str(parsed.password)
    found = parsed.query.get("password")
    return None if found is None else str(found)
