"""A throwaway PostgreSQL cluster for the tests: a temporary folder, a local socket, no TCP.

``python -m tests.throwaway_postgres start FOLDER`` prints the URL of a new cluster in FOLDER;
``stop FOLDER`` stops it. The test suite uses the cluster named by ``CBDESK_TEST_POSTGRES_URL``
(``.ci/run`` starts one), or starts its own when the server's programs are installed.

The cluster is for tests only: no fsync, trust authentication on its socket. As root (CI), the
server runs as the ``postgres`` user, since PostgreSQL refuses to run as root.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import sys
from pathlib import Path

URL_ENV = "CBDESK_TEST_POSTGRES_URL"


def server_programs() -> Path | None:
    """The folder of ``initdb`` and ``pg_ctl``, newest version first; None if not installed."""
    on_path = shutil.which("pg_ctl")
    if on_path and shutil.which("initdb"):
        return Path(on_path).parent
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    for candidate in [*found, *glob.glob("/opt/homebrew/opt/postgresql@*/bin/pg_ctl")][::-1]:
        return Path(candidate).parent
    return None


def _as_server_user() -> dict[str, object]:
    """Arguments for subprocess.run that drop root to the ``postgres`` user."""
    if os.geteuid() != 0:
        return {}
    user = pwd.getpwnam("postgres")

    def drop() -> None:
        os.setgid(user.pw_gid)
        os.setuid(user.pw_uid)

    return {"preexec_fn": drop}


def start(folder: Path) -> str:
    """Create and start a cluster in ``folder``; the URL of its ``postgres`` database."""
    programs = server_programs()
    if programs is None:
        raise RuntimeError("PostgreSQL's server programs (initdb, pg_ctl) are not installed")
    folder.mkdir(parents=True, exist_ok=True)
    data, socket = folder / "data", folder / "socket"
    socket.mkdir(exist_ok=True)
    drop = _as_server_user()
    if drop:
        user = pwd.getpwnam("postgres")
        for path in (folder, socket):
            os.chown(path, user.pw_uid, user.pw_gid)
        os.chmod(folder, 0o755)
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.PIPE, "check": True}
    subprocess.run(
        [
            str(programs / "initdb"),
            "-D",
            str(data),
            "-U",
            "postgres",
            "-A",
            "trust",
            "--locale=C",
            "-E",
            "UTF8",
            "--no-sync",
        ],
        **quiet,
        **drop,
    )
    options = (
        f"-c listen_addresses='' -c unix_socket_directories='{socket}' -c fsync=off "
        "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
    )
    subprocess.run(
        [
            str(programs / "pg_ctl"),
            "-D",
            str(data),
            "-o",
            options,
            "-w",
            "-l",
            str(folder / "log"),
            "start",
        ],
        **quiet,
        **drop,
    )
    return f"postgresql://postgres@/postgres?host={socket}"


def stop(folder: Path) -> None:
    """Stop the cluster in ``folder`` (if it runs) and delete the folder."""
    programs = server_programs()
    data = folder / "data"
    if programs is not None and (data / "postmaster.pid").exists():
        subprocess.run(
            [str(programs / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
            **_as_server_user(),
        )
    shutil.rmtree(folder, ignore_errors=True)


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in {"start", "stop"}:
        print("usage: python -m tests.throwaway_postgres start|stop FOLDER", file=sys.stderr)
        return 2
    folder = Path(argv[1]).resolve()
    if argv[0] == "start":
        print(start(folder))
    else:
        stop(folder)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
