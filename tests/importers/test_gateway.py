from decimal import Decimal

from app.domain.line_columns import USAGE_KEY_COLUMNS
from app.domain.progress import CancelToken
from importers import detect_path
from importers.gateway import GatewayCsvImporter, GatewayJsonlImporter
from tests.importers.helpers import read_with, write


def test_gateway_sample_rolls_up_and_drops_the_duplicate(data_dir):
    _, importer = detect_path(data_dir / "gateway_requests.csv")
    assert importer.id == "gateway-csv"
    data, ctx = read_with(importer, data_dir / "gateway_requests.csv")
    assert ctx.rows_read == 6
    assert ctx.duplicates_skipped == 1
    assert ctx.errors == []
    frame = data.frame
    assert frame["requests"].sum() == 5
    assert frame["input_tokens"].sum() == 12000 + 900 + 4300 + 25000 + 500
    batch = frame[frame["service_tier"] == "batch"]
    assert list(batch["model"]) == ["claude-opus-4-7"]
    untagged = frame[frame["tags"] == ""]
    assert list(untagged["day"]) == ["2026-10-03"]
    assert sorted(data.coverage) == ["2026-10-01", "2026-10-02", "2026-10-03"]


def test_bad_rows_are_named_by_line_and_column(tmp_path):
    path = write(
        tmp_path,
        "bad.csv",
        "timestamp,model,input_tokens,output_tokens\n"
        "2026-10-01T00:00:00Z,claude-haiku-4-5,10,abc\n"
        "not-a-date,claude-haiku-4-5,10,1\n"
        "2026-10-01T00:00:00Z,claude-haiku-4-5,-5,1\n"
        "2026-10-01T00:00:00Z,claude-haiku-4-5,7,1\n",
    )
    data, ctx = read_with(GatewayCsvImporter(), path)
    assert [(e.line, e.column) for e in ctx.errors] == [
        (2, "output_tokens"),
        (3, "timestamp"),
        (4, "input_tokens"),
    ]
    assert "abc" in ctx.errors[0].message
    assert data.frame["input_tokens"].sum() == 7


def test_semicolon_cp1252_and_quoted_newlines(tmp_path):
    text = (
        "timestamp;model;input_tokens;output_tokens;team;note\n"
        '2026-10-01 10:00:00;claude-sonnet-4-6;100;10;"Caf\u00e9";"two\nlines"\n'
    )
    path = write(tmp_path, "semi.csv", text, encoding="cp1252")
    data, ctx = read_with(GatewayCsvImporter(), path)
    assert ctx.errors == []
    assert data.frame.iloc[0]["tags"] == '{"note":"two\\nlines","team":"Caf\u00e9"}'


def test_utf16_file_reads_like_utf8(tmp_path, data_dir):
    text = (data_dir / "gateway_requests.csv").read_text(encoding="utf-8")
    path = write(tmp_path, "u16.csv", text, encoding="utf-16")
    data, ctx = read_with(GatewayCsvImporter(), path)
    assert ctx.errors == [] and data.frame["requests"].sum() == 5


def _assert_fast_and_row_paths_agree(path, rows):
    from importers.gateway import read_rows
    from importers.gateway_columns import GatewayColumns
    from importers.rows import iter_csv_rows

    fast, fast_ctx = read_with(GatewayCsvImporter(), path)
    _, ctx = read_with(GatewayCsvImporter(), path)
    ctx.rows_read = 0
    ctx.request_ids.reset()
    slow = read_rows(ctx, GatewayColumns(list(ctx.sample.header_lower)), iter_csv_rows(ctx))
    key = list(USAGE_KEY_COLUMNS)
    a = fast.frame.sort_values(key).reset_index(drop=True)
    b = slow.frame.sort_values(key).reset_index(drop=True)
    assert a.to_dict("records") == b.to_dict("records")
    assert fast.coverage == slow.coverage
    assert fast_ctx.rows_read == ctx.rows_read == rows
    return fast.frame


def test_fast_and_row_paths_agree(tmp_path):
    from tests.bench.gateway_log import write_gateway_log

    _assert_fast_and_row_paths_agree(write_gateway_log(tmp_path / "g.csv", 3000), 3000)


def test_fast_and_row_paths_agree_on_thousands_of_keys_and_users(tmp_path):
    from tests.bench.wide_gateway_log import write_wide_gateway_log

    path = write_wide_gateway_log(tmp_path / "wide.csv", 20_000)
    frame = _assert_fast_and_row_paths_agree(path, 20_000)
    assert frame["api_key"].nunique() > 1000
    assert frame["user"].nunique() > 500
    # Dated ids are billed under their model: no dated id is left.
    assert not frame["model"].str.contains("2025").any()


def test_values_equal_after_cleaning_make_one_line(tmp_path):
    path = write(
        tmp_path,
        "merge.csv",
        "timestamp,request_id,model,api_key,team,is_batch,service_tier,input_tokens,cost\n"
        "2026-10-01T01:00:00Z,r1,claude-sonnet-4-5-20250929,k1,data,false,standard,10,0.5\n"
        "2026-10-01T02:00:00Z,r2,claude-sonnet-4-5,k1 ,data,,,20,0.25\n"
        "2026-10-01T03:00:00Z,r3, claude-sonnet-4-5,k1,data ,true,priority,40,\n"
        "2026-10-01T04:00:00Z,r4,claude-sonnet-4-5,k1,data,true,standard,80,1.125\n"
        "2026-10-01T05:00:00Z,r5,claude-sonnet-4-5,k1,NULL,false,standard,160,\n",
    )
    frame = _assert_fast_and_row_paths_agree(path, 5)
    lines = {
        (row.service_tier, row.tags): (row.input_tokens, row.requests, row.provided_cost)
        for row in frame.itertuples()
    }
    assert lines == {
        ("standard", '{"team":"data"}'): (30, 2, "0.75"),
        ("batch", '{"team":"data"}'): (120, 2, "1.125"),
        ("standard", ""): (160, 1, None),
    }
    assert set(frame["model"]) == {"claude-sonnet-4-5"} and set(frame["api_key"]) == {"k1"}


def test_jsonl_with_nested_usage(tmp_path):
    path = write(
        tmp_path,
        "g.jsonl",
        '{"timestamp": "2026-10-01T00:00:00Z", "request_id": "a", "model": '
        '"claude-sonnet-4-6", "usage": {"input_tokens": 10, "output_tokens": 5, '
        '"cache_creation": {"ephemeral_1h_input_tokens": 3}, '
        '"cache_creation_input_tokens": 4}, "tags": {"team": "data"}, "cost": 0.25}\n'
        '{"timestamp": "2026-10-01T00:00:01Z", "request_id": "a", "model": '
        '"claude-sonnet-4-6", "usage": {"input_tokens": 10, "output_tokens": 5}}\n',
    )
    _, importer = detect_path(path)
    assert isinstance(importer, GatewayJsonlImporter)
    data, ctx = read_with(importer, path)
    row = data.frame.iloc[0]
    assert (row["cache_write_5m_tokens"], row["cache_write_1h_tokens"]) == (1, 3)
    assert Decimal(row["provided_cost"]) == Decimal("0.25")
    assert ctx.duplicates_skipped == 1


def test_cancel_stops_reading(tmp_path):
    import pytest

    from app.domain.progress import Cancelled
    from importers.base import ReadContext
    from importers.sniff import sample_file
    from tests.bench.gateway_log import write_gateway_log

    path = write_gateway_log(tmp_path / "g.csv", 50_000)
    token = CancelToken()
    token.cancel()
    ctx = ReadContext(path=path, sample=sample_file(path), cancel=token)
    with pytest.raises(Cancelled):
        GatewayCsvImporter().read(ctx)


def test_the_rollup_spills_to_its_own_temporary_folder_not_the_current_one(tmp_path, monkeypatch):
    """DuckDB spills beyond its memory limit. An app started from Finder or a read-only folder
    has a current folder it cannot write: the rollup must neither fail there nor litter it."""
    import duckdb

    from importers import gateway_rollup

    seen = []
    connect = duckdb.connect

    def spy(*args, **kwargs):
        seen.append(kwargs.get("config", {}).get("temp_directory"))
        return connect(*args, **kwargs)

    monkeypatch.setattr(gateway_rollup.duckdb, "connect", spy)
    monkeypatch.chdir(tmp_path)
    from tests.bench.gateway_log import write_gateway_log

    path = write_gateway_log(tmp_path / "g.csv", 500)
    read_with(GatewayCsvImporter(), path)
    assert seen and all(folder and not folder.startswith(str(tmp_path)) for folder in seen)
    assert not (tmp_path / ".tmp").exists()


def test_long_prompts_are_long_context_requests_decided_per_request(tmp_path):
    """A request whose prompt (input + cache reads + cache writes) is over 200k tokens is a
    long-context line; a short request of the same key is not, and the file's own context
    window wins where it gives one. Fast and row readers agree."""
    path = write(
        tmp_path,
        "long.csv",
        "timestamp,request_id,model,input_tokens,cache_read_input_tokens,"
        "cache_creation_input_tokens,output_tokens,context_window\n"
        "2026-10-01T01:00:00Z,r1,claude-sonnet-4-5,150000,50000,1,10,\n"
        "2026-10-01T02:00:00Z,r2,claude-sonnet-4-5,150000,50000,0,10,\n"
        "2026-10-01T03:00:00Z,r3,claude-sonnet-4-5,10,0,0,10,\n"
        "2026-10-01T04:00:00Z,r4,claude-sonnet-4-5,300000,0,0,10,0-200k\n",
    )
    frame = _assert_fast_and_row_paths_agree(path, 4)
    lines = {row.context_window: (row.input_tokens, row.requests) for row in frame.itertuples()}
    assert lines == {"200k-1M": (150_000, 1), "": (150_010, 2), "0-200k": (300_000, 1)}


def test_the_prompt_band_of_haiku_5_5_is_decided_per_request(tmp_path):
    """A prompt (input + cache reads + cache writes) of at most 100,000 tokens is the low band,
    a longer one the high band; other models have no band. Fast and row readers agree."""
    path = write(
        tmp_path,
        "bands.csv",
        "timestamp,request_id,model,input_tokens,cache_read_input_tokens,"
        "cache_creation_input_tokens,output_tokens\n"
        "2026-11-01T01:00:00Z,r1,claude-haiku-5-5,50000,50000,0,10\n"
        "2026-11-01T02:00:00Z,r2,claude-haiku-5-5,50000,50000,1,10\n"
        "2026-11-01T03:00:00Z,r3,claude-haiku-5-5-20261007,10,0,0,10\n"
        "2026-11-01T04:00:00Z,r4,claude-haiku-4-5,150000,0,0,10\n",
    )
    frame = _assert_fast_and_row_paths_agree(path, 4)
    lines = {
        (row.model, row.prompt_band): (row.input_tokens, row.requests) for row in frame.itertuples()
    }
    assert lines == {
        ("claude-haiku-5-5", "low"): (50_010, 2),
        ("claude-haiku-5-5", "high"): (50_000, 1),
        ("claude-haiku-4-5", ""): (150_000, 1),
    }
