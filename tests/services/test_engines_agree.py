"""A workspace file and a shared workspace holding the same data give the same output, byte
for byte: every command's JSON and every export, every month of the demo (each built by
importing the demo's files; only the import times differ)."""

from __future__ import annotations

import pytest

from app.cli import main
from app.services.demo import build_demo_workspace
from app.services.workspaces import open_workspace
from tests.services.conftest import DEMO_TEMPLATE

MONTHS = ("2026-06", "2026-09", "2026-10", "2026-11")
COMMANDS = (
    ("invoices", "--period", "{month}", "--json"),
    ("report", "--period", "{month}", "--by", "model,tag.team,api_key,day", "--json"),
    ("report", "--period", "{month}", "--insights", "--json"),
    ("budgets", "--period", "{month}", "--json"),
    ("reconcile", "--period", "{month}", "--json"),
    ("prices", "--json"),
)
EXPORTS = ("csv", "focus", "journal")


@pytest.fixture(scope="module")
def both(tmp_path_factory, server_databases):
    file = build_demo_workspace(tmp_path_factory.mktemp("agree") / "demo.cbdesk")

    def build(url: str) -> None:
        build_demo_workspace(url).dispose()

    url = server_databases.copy_of(server_databases.template(DEMO_TEMPLATE, build))
    server = open_workspace(url)
    yield file, server
    file.dispose()
    server.dispose()
    server_databases.drop(url)


def _output(capsys, location, arguments):
    assert main(["-w", location, *arguments]) == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("month", MONTHS)
def test_every_command_says_the_same_on_both_engines(both, month, capsys):
    file, server = both
    for command in COMMANDS:
        arguments = [part.format(month=month) for part in command]
        assert _output(capsys, file.location, arguments) == _output(
            capsys, server.location, arguments
        ), arguments


@pytest.mark.parametrize("kind", EXPORTS)
def test_every_export_is_the_same_file_on_both_engines(both, kind, tmp_path, capsys):
    file, server = both
    # A showback month has no journal (never posted): both refuse it alike.
    months = [m for m in MONTHS if kind != "journal" or m >= "2026-08"]
    for month in months:
        made = []
        for workspace, name in ((file, "file"), (server, "server")):
            out = tmp_path / f"{name}-{month}.{kind}"
            _output(
                capsys, workspace.location, ["export", kind, "--period", month, "--out", str(out)]
            )
            made.append(out.read_bytes())
        assert made[0] == made[1], (kind, month)
