"""A period is computed once per workspace state: reports, exports and pages reuse it, and any
import, close, policy or price change makes the next request compute afresh."""

from pathlib import Path

from app.services import invoices as invoices_service
from app.services.closing import close_period, reopen_period
from app.services.importing import import_file
from app.services.invoices import invoice_document, period_invoices
from app.services.prices import set_price
from app.services.workspaces import create_workspace

CSV = (
    "timestamp,request_id,team,model,input_tokens,output_tokens\n"
    "2026-10-01T10:00:00Z,r1,data,claude-haiku-4-5,1000000,0\n"
)


def _counting(monkeypatch):
    calls = []
    original = invoices_service.compute_invoices

    def counted(conn, period):
        calls.append(period)
        return original(conn, period)

    monkeypatch.setattr(invoices_service, "compute_invoices", counted)
    return calls


def test_a_period_is_computed_once_until_the_workspace_changes(
    workspace, tmp_path: Path, monkeypatch
):
    (tmp_path / "a.csv").write_text(CSV, encoding="utf-8")
    import_file(workspace, tmp_path / "a.csv")
    calls = _counting(monkeypatch)

    first = period_invoices(workspace, "2026-10")
    invoice_document(workspace, "2026-10")
    assert period_invoices(workspace, "2026-10") is first
    assert calls == ["2026-10"]

    (tmp_path / "b.csv").write_text(
        CSV.replace("r1", "r2").replace("2026-10-01", "2026-10-02"), encoding="utf-8"
    )
    import_file(workspace, tmp_path / "b.csv")
    after_import = period_invoices(workspace, "2026-10")
    assert calls == ["2026-10", "2026-10"]
    assert after_import.allocation.unallocated_cents == 2 * first.allocation.unallocated_cents

    set_price(
        workspace,
        {"model": "claude-haiku-4-5", "effective_from": "2026-01-01", "input": "2", "output": "5"},
    )
    repriced = period_invoices(workspace, "2026-10")
    assert repriced.allocation.unallocated_cents == 400
    assert len(calls) == 3

    close_period(workspace, "2026-10", allow_empty=True)
    period_invoices(workspace, "2026-10")
    reopen_period(workspace, "2026-10", reason="test")
    period_invoices(workspace, "2026-10")
    assert len(calls) == 5  # once after the close, once after the reopen
    workspace.dispose()


def test_another_workspace_at_the_same_path_is_not_served_from_the_cache(tmp_path: Path):
    path = tmp_path / "w.cbdesk"
    workspace = create_workspace(path)
    (tmp_path / "a.csv").write_text(CSV, encoding="utf-8")
    import_file(workspace, tmp_path / "a.csv")
    assert period_invoices(workspace, "2026-10").allocation.unallocated_cents == 100
    workspace.dispose()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    fresh = create_workspace(path)
    assert period_invoices(fresh, "2026-10").allocation.unallocated_cents == 0
    fresh.dispose()


def test_a_new_policy_attributes_afresh(workspace, tmp_path: Path):
    from app.domain.policy_codec import document_from_mapping
    from app.services.insights import usage_facts
    from app.services.policy import apply_policy

    (tmp_path / "a.csv").write_text(CSV, encoding="utf-8")
    import_file(workspace, tmp_path / "a.csv")

    def teams_under(aliases):
        document, problems = document_from_mapping(
            {"teams": [{"name": "Analytics", "aliases": aliases}, {"name": "Web"}]}
        )
        assert not problems
        apply_policy(workspace, document, source="test")
        invoices = period_invoices(workspace, "2026-10").allocation.invoices
        facts, _, _ = usage_facts(workspace, "2026-10")
        return [i.team for i in invoices], sorted({f.team for f in facts})

    assert teams_under(["data"]) == (["Analytics"], ["Analytics"])
    assert teams_under([]) == ([], ["Unallocated"])
    workspace.dispose()


def test_pausing_the_cycle_collector_from_several_threads_turns_it_back_on():
    """Threads computing at once pause the collector together; the last one out turns it on
    again, whatever the order they finish in."""
    import gc
    import threading

    from app.services.period_cache import without_cycle_collection

    assert gc.isenabled()
    inside = threading.Barrier(2)
    first_out = threading.Event()

    def early():
        with without_cycle_collection():
            inside.wait()
        first_out.set()

    paused_while_late_inside = []

    def late():
        with without_cycle_collection():
            inside.wait()
            first_out.wait()
            paused_while_late_inside.append(not gc.isenabled())

    threads = [threading.Thread(target=early), threading.Thread(target=late)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert paused_while_late_inside == [True]
    assert gc.isenabled()
