"""The import use case: atomic, idempotent, overlap-aware, with exact costs."""

from decimal import Decimal

import pytest
from sqlalchemy import func, select, text

from app.domain.progress import Cancelled, CancelToken
from app.services.importing import IMPORTED, REJECTED, SKIPPED, import_file
from app.services.reporting import cost_report
from app.workspace.schema import audit_log, import_batches, usage_lines

GATEWAY_HEADER = "timestamp,request_id,team,model,input_tokens,output_tokens\n"


CONSOLE_HEADER = (
    "usage_date_utc,model_version,api_key,workspace,usage_type,context_window,"
    "usage_input_tokens_no_cache,usage_input_tokens_cache_write_5m,"
    "usage_input_tokens_cache_write_1h,usage_input_tokens_cache_read,usage_output_tokens,"
    "web_search_count,inference_geo,speed\n"
)


def _console_row(hour: int, tokens: int) -> str:
    return (
        f"2026-10-01 {hour:02d}:00,claude-haiku-4-5,key-a,Default,standard,≤ 200k,"
        f"{tokens},0,0,0,0,0,global,\n"
    )


def counts(workspace):
    with workspace.engine.connect() as conn:
        return (
            conn.execute(select(func.count()).select_from(usage_lines)).scalar(),
            conn.execute(select(func.count()).select_from(import_batches)).scalar(),
        )


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_gateway_sample_cost_is_hand_checked(workspace, data_dir):
    report = import_file(workspace, data_dir / "gateway_requests.csv")
    assert report.status == IMPORTED
    assert (report.rows_read, report.duplicates_skipped) == (6, 1)
    # req_0001 opus-4-7 batch: 12000×2.5 + 3100×12.5 = 68750 µ$ → 0.06875
    # req_0002 haiku-4-5: 900×1 + 120×5 + 20000×0.1 = 3500 → 0.0035
    # req_0003 sonnet-4-6: 4300×3 + 800×15 + 2000×3.75 = 32400 → 0.0324, + 1 search 0.01
    # req_0004 sonnet-4-6: 25000×3 + 1500×15 = 97500 → 0.0975 (its duplicate dropped)
    # req_0005 haiku-4-5: 500×1 + 50×5 = 750 → 0.00075
    assert report.cost == Decimal("0.06875") + Decimal("0.0035") + Decimal("0.0424") + Decimal(
        "0.0975"
    ) + Decimal("0.00075")
    assert (report.period_start, report.period_end) == ("2026-10-01", "2026-10-03")


def test_reimport_adds_nothing(workspace, data_dir):
    import_file(workspace, data_dir / "gateway_requests.csv")
    before = counts(workspace)
    again = import_file(workspace, data_dir / "gateway_requests.csv")
    assert again.status == SKIPPED
    assert counts(workspace) == before


def test_bad_file_is_rejected_whole_and_changes_nothing(workspace, tmp_path):
    path = write(
        tmp_path,
        "bad.csv",
        GATEWAY_HEADER
        + "2026-10-01T00:00:00Z,a,data,claude-haiku-4-5,10,1\n"
        + "2026-10-01T00:00:01Z,b,data,claude-haiku-4-5,ten,1\n",
    )
    report = import_file(workspace, path)
    assert report.status == REJECTED
    assert (
        report.problems()[-1] == "bad.csv: line 3, column 'input_tokens': not a whole number: 'ten'"
    )
    assert counts(workspace) == (0, 0)
    with workspace.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(audit_log)).scalar() == 0


def test_skip_bad_rows_imports_the_good_ones(workspace, tmp_path):
    path = write(
        tmp_path,
        "bad.csv",
        GATEWAY_HEADER
        + "2026-10-01T00:00:00Z,a,data,claude-haiku-4-5,10,1\n"
        + "2026-10-01T00:00:01Z,b,data,claude-haiku-4-5,ten,1\n",
    )
    report = import_file(workspace, path, skip_bad_rows=True)
    assert report.status == IMPORTED and report.rows_rejected == 1
    assert report.lines_added == 1


def test_unknown_content_is_rejected(workspace, tmp_path):
    report = import_file(workspace, write(tmp_path, "x.csv", "a,b\n1,2\n"))
    assert report.status == REJECTED and "not a format" in report.message


def test_forced_wrong_format_is_rejected(workspace, data_dir):
    report = import_file(
        workspace, data_dir / "gateway_requests.csv", format_id="anthropic-usage-json"
    )
    assert report.status == REJECTED and "is not" in report.message


def test_unknown_model_is_imported_unpriced(workspace, tmp_path):
    path = write(
        tmp_path, "u.csv", GATEWAY_HEADER + "2026-10-01T00:00:00Z,a,data,claude-opus-9,10,1\n"
    )
    report = import_file(workspace, path)
    assert report.status == IMPORTED
    assert report.unpriced_lines == 1 and report.unpriced_models == ("claude-opus-9",)
    report = cost_report(workspace, "2026-10")
    assert report.unpriced_lines == 1 and report.total == 0


def test_superset_request_log_adds_only_new_requests(workspace, tmp_path):
    first = write(
        tmp_path,
        "a.csv",
        GATEWAY_HEADER + "2026-10-01T08:00:00Z,a,data,claude-haiku-4-5,1000000,0\n",
    )
    second = write(
        tmp_path,
        "b.csv",
        GATEWAY_HEADER
        + "2026-10-01T00:00:00Z,z,data,claude-haiku-4-5,1000000,0\n"
        + "2026-10-01T08:00:00Z,a,data,claude-haiku-4-5,1000000,0\n"
        + "2026-10-02T08:00:00Z,c,data,claude-haiku-4-5,1000000,0\n",
    )
    import_file(workspace, first)
    report = import_file(workspace, second)
    # Request ids decide: "a" is known, "z" and "c" are new.
    assert report.status == IMPORTED and report.requests_already_imported == 1
    assert cost_report(workspace, "2026-10").total == 3


def test_superset_aggregated_export_replaces_overlapped_days(workspace, tmp_path):
    first = write(tmp_path, "a.csv", CONSOLE_HEADER + _console_row(8, 10**6))
    second = write(
        tmp_path,
        "b.csv",
        CONSOLE_HEADER + _console_row(0, 10**6) + _console_row(8, 10**6) + _console_row(23, 10**6),
    )
    import_file(workspace, first)
    report = import_file(workspace, second)
    assert report.status == IMPORTED and report.lines_replaced == 1
    assert cost_report(workspace, "2026-10").total == 3


def test_disjoint_files_of_one_day_add_up(workspace, tmp_path):
    morning = write(
        tmp_path,
        "am.csv",
        GATEWAY_HEADER + "2026-10-01T08:00:00Z,a,data,claude-haiku-4-5,1000000,0\n",
    )
    evening = write(
        tmp_path,
        "pm.csv",
        GATEWAY_HEADER + "2026-10-01T20:00:00Z,b,data,claude-haiku-4-5,1000000,0\n",
    )
    import_file(workspace, morning)
    report = import_file(workspace, evening)
    assert report.status == IMPORTED and report.lines_replaced == 0
    assert cost_report(workspace, "2026-10").total == 2


def test_partial_overlap_of_aggregated_exports_is_refused_and_changes_nothing(workspace, tmp_path):
    first = write(tmp_path, "a.csv", CONSOLE_HEADER + _console_row(8, 10**6) + _console_row(12, 1))
    second = write(
        tmp_path, "b.csv", CONSOLE_HEADER + _console_row(10, 10**6) + _console_row(14, 1)
    )
    import_file(workspace, first)
    before = counts(workspace)
    report = import_file(workspace, second)
    assert report.status == REJECTED and "only in part" in report.message
    assert counts(workspace) == before


def test_late_request_logs_add_new_requests_and_skip_known_ones(workspace, tmp_path):
    """Issue 8, case 4: request ids decide for sources that have them, not coverage."""
    first = write(
        tmp_path,
        "a.csv",
        GATEWAY_HEADER
        + "2026-10-01T08:00:00Z,a,data,claude-haiku-4-5,1000000,0\n"
        + "2026-10-01T12:00:00Z,b,data,claude-haiku-4-5,1000000,0\n",
    )
    late = write(
        tmp_path,
        "late.csv",
        GATEWAY_HEADER
        + "2026-10-01T10:00:00Z,c,data,claude-haiku-4-5,1000000,0\n"
        + "2026-10-01T12:00:00Z,b,data,claude-haiku-4-5,1000000,0\n"
        + "2026-10-01T14:00:00Z,d,data,claude-haiku-4-5,1000000,0\n",
    )
    assert import_file(workspace, first).status == IMPORTED
    report = import_file(workspace, late)
    assert report.status == IMPORTED, report.message
    assert report.requests_already_imported == 1 and report.lines_replaced == 0
    assert cost_report(workspace, "2026-10").total == 4
    again = write(
        tmp_path, "again.csv", GATEWAY_HEADER + "2026-10-01T10:00:00Z,c,x,claude-haiku-4-5,1,0\n"
    )
    report = import_file(workspace, again)
    assert report.status == SKIPPED and "imported before" in report.message
    assert cost_report(workspace, "2026-10").total == 4


def test_requests_without_an_id_are_never_taken_for_duplicates(workspace, tmp_path):
    path = write(
        tmp_path,
        "blank.csv",
        GATEWAY_HEADER
        + "2026-10-01T08:00:00Z,,data,claude-haiku-4-5,1000000,0\n"
        + "2026-10-01T08:00:00Z,,data,claude-haiku-4-5,1000000,0\n"
        + "2026-10-01T09:00:00Z, ,data,claude-haiku-4-5,1000000,0\n",
    )
    report = import_file(workspace, path)
    assert report.duplicates_skipped == 0
    assert cost_report(workspace, "2026-10").total == 3


def test_late_litellm_logs_add_only_new_calls(workspace, tmp_path):
    def record(request_id, day):
        import json

        return (
            json.dumps(
                {
                    "request_id": request_id,
                    "startTime": f"2026-10-{day:02d}T10:00:00Z",
                    "model": "claude-haiku-4-5",
                    "prompt_tokens": 1000000,
                    "completion_tokens": 0,
                    "spend": 1.0,
                    "status": "success",
                }
            )
            + "\n"
        )

    first = write(tmp_path, "a.jsonl", record("l1", 1) + record("l2", 2))
    late = write(tmp_path, "b.jsonl", record("l2", 2) + record("l3", 2))
    assert import_file(workspace, first).status == IMPORTED
    report = import_file(workspace, late)
    assert report.status == IMPORTED and report.requests_already_imported == 1
    assert cost_report(workspace, "2026-10").total == 3


def test_cancel_leaves_nothing(workspace, tmp_path):
    from tests.bench.gateway_log import write_gateway_log

    path = write_gateway_log(tmp_path / "big.csv", 30_000)
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        import_file(workspace, path, cancel=token)
    assert counts(workspace) == (0, 0)


def test_permuted_rows_give_the_same_lines(workspace, tmp_path):
    from tests.bench.gateway_log import write_gateway_log

    path = write_gateway_log(tmp_path / "g.csv", 2000)
    lines = path.read_text().splitlines(keepends=True)
    shuffled = write(tmp_path, "s.csv", lines[0] + "".join(reversed(lines[1:])))
    import_file(workspace, path)
    first = cost_report(workspace, "2026-10", ["tag.team", "model"])
    from app.services.workspaces import create_workspace

    other = create_workspace(tmp_path / "other.cbdesk")
    import_file(other, shuffled)
    second = cost_report(other, "2026-10", ["tag.team", "model"])
    other.dispose()
    assert [(r.group, r.cost, r.counts) for r in first.rows] == [
        (r.group, r.cost, r.counts) for r in second.rows
    ]


def test_admin_api_reexport_replaces_buckets_not_doubles(workspace, tmp_path, data_dir):
    import json

    page = json.loads((data_dir / "anthropic_usage_report_page1.json").read_text())
    first = import_file(workspace, data_dir / "anthropic_usage_report_page1.json")
    before = cost_report(workspace, "2026-10").total
    # A later export of the same two days with one more result on Oct 1.
    extra = dict(
        page["data"][0]["results"][2],
        uncached_input_tokens=1_000_000,
        output_tokens=0,
        inference_geo="global",
    )
    page["data"][0]["results"].append(extra)
    path = tmp_path / "reexport.json"
    path.write_text(json.dumps(page))
    second = import_file(workspace, path)
    assert first.status == second.status == IMPORTED
    assert second.lines_replaced == 3
    assert cost_report(workspace, "2026-10").total == before + 3


def test_statements_and_invoices_are_stored(workspace, data_dir):
    from app.workspace.schema import provider_invoices, statement_lines

    for name in ("anthropic_cost_report.json", "console_cost_export.csv", "provider_invoice.csv"):
        assert import_file(workspace, data_dir / name).status == IMPORTED
    with workspace.engine.connect() as conn:
        amounts = conn.execute(
            select(func.dec_sum(statement_lines.c.amount)).where(
                statement_lines.c.source == "anthropic-cost-api"
            )
        ).scalar()
        invoice = conn.execute(select(provider_invoices.c.total)).scalar()
    assert Decimal(amounts) == Decimal("18.6184567")
    assert invoice == "13200.00"
    # Usage reports are untouched by statements.
    assert cost_report(workspace, "2026-10").total == 0


def test_a_log_with_ids_replaces_an_earlier_log_of_the_source_without_them(workspace, tmp_path):
    """Review finding: ids only decide against imports that stored ids."""
    without_ids = write(
        tmp_path,
        "plain.csv",
        "timestamp,team,model,input_tokens,output_tokens\n"
        "2026-10-01T08:00:00Z,data,claude-haiku-4-5,1000000,0\n"
        "2026-10-01T09:00:00Z,data,claude-haiku-4-5,1000000,0\n",
    )
    with_ids = write(
        tmp_path,
        "ids.csv",
        GATEWAY_HEADER
        + "2026-10-01T08:00:00Z,a,data,claude-haiku-4-5,1000000,0\n"
        + "2026-10-01T09:00:00Z,b,data,claude-haiku-4-5,1000000,0\n"
        + "2026-10-01T10:00:00Z,c,data,claude-haiku-4-5,1000000,0\n",
    )
    import_file(workspace, without_ids)
    report = import_file(workspace, with_ids)
    assert report.status == IMPORTED and report.lines_replaced == 1
    assert cost_report(workspace, "2026-10").total == 3


@pytest.mark.parametrize("blank", ["", "NULL", "None", "null", "-"])
def test_logs_with_blank_ids_are_judged_by_their_span(workspace, tmp_path, blank):
    first = write(
        tmp_path,
        "a.csv",
        GATEWAY_HEADER + f"2026-10-01T08:00:00Z,{blank},d,claude-haiku-4-5,1000000,0\n",
    )
    superset = write(
        tmp_path,
        "b.csv",
        GATEWAY_HEADER
        + f"2026-10-01T08:00:00Z,{blank},d,claude-haiku-4-5,1000000,0\n"
        + f"2026-10-01T09:00:00Z,{blank},d,claude-haiku-4-5,1000000,0\n",
    )
    import_file(workspace, first)
    report = import_file(workspace, superset)
    assert report.status == IMPORTED and report.lines_replaced == 1
    assert report.duplicates_skipped == 0
    assert cost_report(workspace, "2026-10").total == 2


def test_both_readers_treat_blank_ids_alike(workspace, tmp_path):
    rows = "".join(
        f"2026-10-01T0{h}:00:00Z,{rid},d,claude-haiku-4-5,1000000,0\n"
        for h, rid in enumerate(["NULL", "None", "NULL", "x", "x"], start=1)
    )
    fast = write(tmp_path, "fast.csv", GATEWAY_HEADER + rows)
    slow = write(
        tmp_path, "slow.csv", GATEWAY_HEADER + rows + "2026-10-01T09:00:00Z,y,d,haiku,bad,0\n"
    )
    from app.services.workspaces import create_workspace

    other = create_workspace(tmp_path / "other.cbdesk")
    try:
        a = import_file(workspace, fast)
        b = import_file(other, slow, skip_bad_rows=True)
        assert (a.duplicates_skipped, b.duplicates_skipped) == (1, 1)
        assert cost_report(workspace, "2026-10").total == cost_report(other, "2026-10").total == 4
    finally:
        other.dispose()


def test_an_import_decides_again_when_known_requests_change_while_it_reads(
    workspace, tmp_path, monkeypatch
):
    """Review finding: a removal landing while a file is read must not leave it thinking its
    requests were imported before."""
    import app.services.importing as importing
    from app.services.import_history import remove_import

    first = write(
        tmp_path,
        "a.csv",
        GATEWAY_HEADER
        + "2026-10-01T08:00:00Z,a,d,claude-haiku-4-5,1000000,0\n"
        + "2026-10-01T09:00:00Z,b,d,claude-haiku-4-5,1000000,0\n",
    )
    import_file(workspace, first)
    real_read = importing._read
    calls = []

    def read_then_someone_removes(*args, **kwargs):
        result = real_read(*args, **kwargs)
        if not calls:
            calls.append(1)
            remove_import(workspace, 1)
        return result

    monkeypatch.setattr(importing, "_read", read_then_someone_removes)
    again = write(
        tmp_path,
        "c.csv",
        GATEWAY_HEADER
        + "2026-10-01T08:00:00Z,a,d,claude-haiku-4-5,1000000,0\n"
        + "2026-10-01T09:00:00Z,b,d,claude-haiku-4-5,1000000,0\n"
        + "2026-10-01T10:00:00Z,c,d,claude-haiku-4-5,1000000,0\n",
    )
    report = import_file(workspace, again)
    assert report.status == IMPORTED and report.requests_already_imported == 0
    assert cost_report(workspace, "2026-10").total == 3


LINE_KEY_MISMATCHES = """
    SELECT COUNT(*) FROM usage_lines u JOIN line_keys k ON k.id = u.line_key_id
    WHERE k.day != u.day
       OR k.has_provided_cost != CASE WHEN u.provided_cost IS NOT NULL THEN 1 ELSE 0 END
       OR k.has_usage != CASE WHEN u.input_tokens + u.cache_write_5m_tokens
                          + u.cache_write_1h_tokens + u.cache_read_tokens + u.output_tokens
                          + u.web_searches > 0
                          OR COALESCE(u.code_execution_hours, '') NOT IN ('', '0')
                          THEN 1 ELSE 0 END
"""


@pytest.mark.parametrize(
    "name",
    [
        "anthropic_cost_report.json",
        "anthropic_usage_report_page1.json",
        "console_cost_export.csv",
        "console_usage_export.csv",
        "focus_1_0_sample.csv",
        "gateway_requests.csv",
        "litellm_spend_logs.jsonl",
    ],
)
def test_imported_lines_carry_the_key_of_their_pricing_values(workspace, data_dir, name):
    """Lines are summed per line key: an import gives each line the key of its own values
    (the same rule migration 0012 applied to existing lines), and lists the dimension sets of
    the periods it touches (as 0013 listed those of existing lines)."""
    import_file(workspace, data_dir / name)
    with workspace.engine.connect() as conn:
        lines = conn.exec_driver_sql("SELECT COUNT(*) FROM usage_lines").scalar_one()
        orphans = conn.exec_driver_sql(
            "SELECT COUNT(*) FROM usage_lines u LEFT JOIN line_keys k ON k.id = u.line_key_id "
            "WHERE k.id IS NULL"
        ).scalar_one()
        assert conn.exec_driver_sql(LINE_KEY_MISMATCHES).scalar_one() == 0
        outside = conn.exec_driver_sql(
            "SELECT COUNT(*) FROM usage_lines u JOIN import_batches b ON b.id = u.batch_id "
            "WHERE u.day < b.period_start OR u.day > b.period_end"
        ).scalar_one()
        assert outside == 0  # an import's lines are found between its first and last day
        unlisted = conn.exec_driver_sql(
            "SELECT COUNT(*) FROM (SELECT DISTINCT period, dimension_set_id FROM usage_lines "
            "EXCEPT SELECT period, dimension_set_id FROM period_dimension_sets) AS missing"
        ).scalar_one()
    assert orphans == 0 and unlisted == 0
    assert lines > 0 or name.startswith(("anthropic_cost", "console_cost", "focus"))


@pytest.mark.parametrize(
    "name",
    [
        "anthropic_usage_report_page1.json",
        "console_usage_export.csv",
        "gateway_requests.csv",
        "litellm_spend_logs.jsonl",
    ],
)
def test_the_import_summary_prices_what_was_stored(workspace, data_dir, name):
    """The cost an import reports is the cost of the lines it stored, read back."""
    from app.services.pricing import total_cost, workspace_price_book
    from app.workspace.usage_queries import usage_aggregates

    report = import_file(workspace, data_dir / name)
    with workspace.engine.connect() as conn:
        batch_id = conn.execute(select(func.max(import_batches.c.id))).scalar_one()
        stored = total_cost(workspace_price_book(conn), usage_aggregates(conn, batch_id=batch_id))
    assert report.cost == stored.cost
    assert report.unpriced_lines == stored.unpriced_lines
    assert report.unpriced_models == stored.unpriced_models


def _slow_reader(monkeypatch, seen):
    """Makes the gateway reader take as long as it is let: it returns only once cancelled."""
    import time

    from importers.gateway import GatewayCsvImporter

    def read(self, ctx):
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if ctx.cancel.cancelled:
                seen.append("stopped")
                ctx.cancel.check()
            time.sleep(0.01)
        raise AssertionError("the read was never stopped")

    monkeypatch.setattr(GatewayCsvImporter, "read", read)


def test_a_file_imported_before_stops_its_read_at_once(workspace, data_dir, monkeypatch):
    """The content hash is taken while the file is read: a file seen before is told as that
    as soon as the hash is known, not after reading all of it."""
    assert import_file(workspace, data_dir / "gateway_requests.csv").status == IMPORTED
    seen: list[str] = []
    _slow_reader(monkeypatch, seen)
    report = import_file(workspace, data_dir / "gateway_requests.csv")
    assert (report.status, seen) == (SKIPPED, ["stopped"])
    assert "already imported" in report.message


def test_the_users_cancel_is_not_taken_for_a_file_imported_before(workspace, data_dir, monkeypatch):
    import threading

    seen: list[str] = []
    _slow_reader(monkeypatch, seen)
    token = CancelToken()
    threading.Timer(0.2, token.cancel).start()
    with pytest.raises(Cancelled):
        import_file(workspace, data_dir / "gateway_requests.csv", cancel=token)
    assert seen == ["stopped"]
    with workspace.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(import_batches)).scalar() == 0


def test_months_and_imports_find_their_lines_by_the_index_of_days(workspace, data_dir):
    """A month's lines and an import's lines are read through the index of days, never by
    reading every line of the workspace; the months with usage are found a month at a time."""
    from app.workspace.usage_queries import periods_with_usage, scope_sql

    import_file(workspace, data_dir / "gateway_requests.csv")
    explain = "EXPLAIN QUERY PLAN"
    with workspace.engine.connect() as conn:
        if workspace.shared:  # a few lines: the server's planner would rightly read them all
            conn.execute(text("SET LOCAL enable_seqscan = off"))
            explain = "EXPLAIN"
        for scope in ({"period": "2026-10"}, {"batch_id": 1}, {"period": "2026-10", "days": []}):
            where, params = scope_sql(**scope)
            plan = " ".join(
                str(row[-1])
                for row in conn.execute(
                    text(f"{explain} SELECT COUNT(*) FROM usage_lines u {where}"), params
                )
            )
            # No days: the server sees that nothing can match and reads nothing at all.
            nothing = workspace.shared and "One-Time Filter: false" in plan
            assert "ix_usage_lines_day" in plan or nothing, (scope, plan)
        assert periods_with_usage(conn) == ["2026-10"]


def test_the_months_with_usage_skip_months_without_any(workspace, tmp_path):
    from app.workspace.usage_queries import periods_with_usage

    path = tmp_path / "months.csv"
    path.write_text(
        "timestamp,request_id,model,input_tokens\n"
        "2025-12-31T23:59:59Z,a,claude-haiku-4-5,1\n"
        "2026-01-01T00:00:00Z,b,claude-haiku-4-5,1\n"
        "2026-01-31T10:00:00Z,c,claude-haiku-4-5,1\n"
        "2026-03-15T10:00:00Z,d,claude-haiku-4-5,1\n",
        encoding="utf-8",
    )
    assert import_file(workspace, path).status == IMPORTED
    with workspace.engine.connect() as conn:
        assert periods_with_usage(conn) == ["2025-12", "2026-01", "2026-03"]


def test_fast_mode_requests_in_a_gateway_log_are_priced_at_their_models_fast_rates(
    workspace, tmp_path
):
    """Opus 5.5 in fast mode costs twice its standard rates (§1); Haiku 4.5 has no fast mode
    and is priced at standard rates. By hand: standard Opus 5.5 1M input + 100k output
    = 4 + 2 = 6.00; fast 12.00; Haiku 4.5 fast 1M input = 1.00; total 19.00."""
    path = tmp_path / "fast.csv"
    path.write_text(
        "timestamp,request_id,model,speed,input_tokens,output_tokens\n"
        "2026-11-02T10:00:00Z,a,claude-opus-5-5,standard,1000000,100000\n"
        "2026-11-02T10:00:01Z,b,claude-opus-5-5,FAST,1000000,100000\n"
        "2026-11-02T10:00:02Z,c,claude-haiku-4-5,fast,1000000,0\n",
        encoding="utf-8",
    )
    report = import_file(workspace, path)
    assert (report.status, report.cost, report.unpriced_lines) == (IMPORTED, Decimal("19"), 0)
    # Said, not hidden: Haiku 4.5's fast rows had no fast mode to pay for.
    assert report.fast_without_fast_mode == ("claude-haiku-4-5",)


def test_a_long_sonnet_4_5_request_in_a_gateway_log_pays_the_long_context_rates(
    workspace, tmp_path
):
    """By hand (§1): the long request — 150,000 input, 60,000 cache reads, 1,000 output —
    pays input 6, cache read 0.60, output 22.50: 0.90 + 0.036 + 0.0225 = 0.9585; the short
    one — 1,000 input, 1,000 output — pays 3 and 15: 0.003 + 0.015 = 0.018. Total 0.9765."""
    path = tmp_path / "long.csv"
    path.write_text(
        "timestamp,request_id,model,input_tokens,cache_read_input_tokens,output_tokens\n"
        "2026-04-02T10:00:00Z,a,claude-sonnet-4-5,150000,60000,1000\n"
        "2026-04-02T10:00:01Z,b,claude-sonnet-4-5,1000,0,1000\n",
        encoding="utf-8",
    )
    report = import_file(workspace, path)
    assert (report.status, report.cost) == (IMPORTED, Decimal("0.9765"))
