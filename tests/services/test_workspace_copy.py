"""``workspace copy``: a file to a server and back gives the same rows and the same invoices;
a copy that would differ is removed; the copy goes on working (imports, closes)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.cli import main
from app.services import workspace_copy
from app.services.demo import build_demo_workspace
from app.services.importing import import_file
from app.services.invoices import invoice_document
from app.workspace.copying import COPIED_TABLES
from app.workspace.db import WorkspaceError, open_workspace


@pytest.fixture
def demo_file(tmp_path):
    build_demo_workspace(tmp_path / "demo.cbdesk").dispose()
    return tmp_path / "demo.cbdesk"


@pytest.fixture
def empty_database(server_databases):
    url = server_databases.create_empty()
    yield url
    server_databases.drop(url)


def _rows(location):
    workspace = open_workspace(location)
    try:
        with workspace.engine.connect() as conn:
            return {
                table.name: [
                    tuple(row)
                    for row in conn.execute(select(table).order_by(*table.primary_key.columns))
                ]
                for table in COPIED_TABLES
            }
    finally:
        workspace.dispose()


def test_a_file_to_a_server_and_back_keeps_every_row_and_invoice(
    demo_file, empty_database, tmp_path
):
    there = workspace_copy.copy_workspace(demo_file, empty_database)
    assert there.months == [f"2026-{m:02d}" for m in range(5, 12)]
    back = tmp_path / "back.cbdesk"
    workspace_copy.copy_workspace(empty_database, back)
    original, returned = _rows(demo_file), _rows(back)
    assert original["usage_lines"] and original["closed_periods"]
    for table in COPIED_TABLES:
        assert returned[table.name] == original[table.name], table.name


def test_the_copy_on_a_server_goes_on_numbering_and_working(demo_file, empty_database, data_dir):
    workspace_copy.copy_workspace(demo_file, empty_database)
    shared = open_workspace(empty_database)
    try:
        before = invoice_document(shared, "2026-10")
        report = import_file(shared, data_dir / "gateway_requests.csv")
        assert report.status == "imported"
        with shared.engine.connect() as conn:
            from app.workspace.schema import import_batches

            ids = list(conn.execute(select(import_batches.c.id)).scalars())
        assert len(ids) == len(set(ids)) == 10  # the nine copied imports and a new one
        assert invoice_document(shared, "2026-10") != before
    finally:
        shared.dispose()


@pytest.mark.parametrize("where", ["file", "server"])
def test_a_copy_whose_invoices_differ_is_removed(where, demo_file, tmp_path, monkeypatch, request):
    target = (
        tmp_path / "copy.cbdesk" if where == "file" else request.getfixturevalue("empty_database")
    )
    real = workspace_copy._document

    def differing(workspace, period):
        text = real(workspace, period)
        return text + " " if workspace.location != str(demo_file) and period == "2026-09" else text

    monkeypatch.setattr(workspace_copy, "_document", differing)
    with pytest.raises(workspace_copy.CopyMismatch, match="invoices of 2026-09 differ"):
        workspace_copy.copy_workspace(demo_file, target)
    if where == "file":
        assert not target.exists()
    else:
        with pytest.raises(WorkspaceError, match="No workspace"):
            open_workspace(target)


def test_the_command_copies_and_refuses_what_it_cannot(demo_file, tmp_path, capsys):
    copy = tmp_path / "copy.cbdesk"
    assert main(["workspace", "copy", str(demo_file), str(copy)]) == 0
    out = capsys.readouterr().out
    assert "9 imports" in out and "3 closed months" in out and "2026-11" in out
    assert main(["workspace", "copy", str(demo_file), str(copy)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert main(["workspace", "copy", str(demo_file), str(demo_file)]) == 2
    assert "same workspace" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("source", "target", "asking", "side"),
    [
        ("postgres://anna@db/cb", "x.cbdesk", "postgresql://anna@db/cb", "source"),
        (
            "postgresql://anna@db/cb_copy",
            "postgresql://anna@db/cb",
            "postgresql://anna@db/cb",
            "target",
        ),
        (
            "postgresql://anna@db/cb",
            "postgresql://anna@db/cb_copy",
            "postgresql://anna@db/cb",
            "source",
        ),
        ("a.cbdesk", "postgresql://anna:pw@db/cb", "postgresql://anna@db/cb", "target"),
    ],
)
def test_the_password_asked_for_goes_to_the_server_that_asked(source, target, asking, side):
    from argparse import Namespace

    from app.cli.workspace_command import _asking_side

    assert _asking_side(Namespace(source=source, target=target), asking) == side
