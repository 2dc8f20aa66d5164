"""The usage lines behind an Explore level: paged, sorted and filtered in SQL, adding up."""

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from app.services.explore import ExploreError, explore_level
from app.services.line_listing import (
    LINE_FIELDS,
    LineListing,
    ListingClosed,
    ListingView,
    line_listing,
    stored_row,
    write_lines,
)


@pytest.fixture(scope="module")
def month(demo):
    listing = line_listing(demo, "2026-10", [])
    yield listing
    listing.close()


def test_the_lines_of_a_level_add_up_to_its_groups(demo, month):
    count, total, unpriced = month.summary()
    teams = explore_level(demo, "2026-10", [], "team")
    assert total == sum((g.cost for g in teams), Decimal(0))
    assert count > 100 and unpriced == 0
    data = next(g for g in teams if g.value == "Data")
    listing = line_listing(demo, "2026-10", [("team", "Data")])
    lines = listing.page(0, 10_000)
    assert {line.team for line in lines} == {"Data"}
    assert sum((line.cost for line in lines), Decimal(0)) == data.cost == listing.summary()[1]
    assert sum(line.requests for line in lines) == data.requests


def test_lines_of_a_day_under_a_model(demo):
    path = [("model", "claude-sonnet-4-6"), ("day", "2026-10-14")]
    days = explore_level(demo, "2026-10", path[:1], "day")
    expected = next(g.cost for g in days if g.value == "2026-10-14")
    listing = line_listing(demo, "2026-10", path)
    lines = listing.page(0, 10_000)
    assert {(line.model, line.day) for line in lines} == {("claude-sonnet-4-6", "2026-10-14")}
    assert listing.summary()[1] == expected


def test_sorted_in_either_direction_by_any_column(month):
    count = month.summary().count
    by_cost = month.page(0, count)
    assert [line.cost for line in by_cost] == sorted((line.cost for line in by_cost), reverse=True)
    by_user = month.page(0, count, ListingView("user", descending=False))
    assert [line.user for line in by_user] == sorted(
        (line.user for line in by_user), key=str.casefold
    )
    by_requests = month.page(0, count, ListingView("requests", descending=True))
    assert [r.requests for r in by_requests] == sorted(
        (r.requests for r in by_requests), reverse=True
    )


def test_a_text_filter_finds_words_in_any_text_column(month):
    count = month.summary().count
    everything = month.page(0, count)
    view = ListingView(search="PRODUCT  sonnet")
    wanted = [
        line
        for line in everything
        if all(
            word in " ".join(getattr(line, f) for f in LINE_FIELDS[:10]).lower()
            for word in ("product", "sonnet")
        )
    ]
    found_count, found_total, _ = month.summary(view)
    assert 0 < found_count == len(wanted) < count
    assert found_total == sum((line.cost for line in wanted), Decimal(0))
    assert month.page(0, found_count, view) == wanted  # the same order: cost, then as read


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    order=st.sampled_from(LINE_FIELDS),
    descending=st.booleans(),
    search=st.sampled_from(["", "data", "opus", "prod key", "zzz"]),
    size=st.integers(1, 97),
)
def test_pages_put_together_are_the_whole_view(month, order, descending, search, size):
    view = ListingView(order, descending, search)
    count, total, _ = month.summary(view)
    whole = month.page(0, count, view)
    paged = [line for offset in range(0, count, size) for line in month.page(offset, size, view)]
    assert paged == whole and len(whole) == count
    assert sum((line.cost for line in whole), Decimal(0)) == total


def test_what_cannot_be_listed_is_refused(demo, month):
    with pytest.raises(ExploreError, match="cannot order usage lines by 'colour'"):
        ListingView("colour")
    with pytest.raises(ExploreError, match="not in 2026-10"):
        line_listing(demo, "2026-10", [("day", "2026-11-02")])
    with pytest.raises(ExploreError, match="cannot explore by 'colour'"):
        line_listing(demo, "2026-10", [("colour", "red")])


def _listing(*lines):
    """A listing of hand-made lines: (team, user, cost or None)."""
    return LineListing(
        iter(
            stored_row(
                (team, "", "", "m", "standard", "2026-10-01", "", "", user, ""), 1, 2, 3, cost
            )
            for team, user, cost in lines
        )
    )


def test_costs_of_any_size_are_ordered_exactly():
    costs = [
        Decimal("922337203685.4775807"),  # past a 64-bit count of 10^-10 dollars
        Decimal("0.000000000001"),
        Decimal("0.000000000002"),
        Decimal("-3.5"),
        Decimal("-3.25"),
        Decimal("1E+3"),
    ]
    listing = _listing(*(("t", "", c) for c in costs))
    ordered = [line.cost for line in listing.page(0, 10)]
    assert ordered == sorted(costs, reverse=True)
    assert listing.summary().total == sum(costs, Decimal(0))


def test_an_unpriced_line_has_no_cost_and_is_counted_as_such(tmp_path):
    listing = _listing(("a", "", Decimal("2.50")), ("b", "", None), ("c", "", Decimal("1")))
    assert listing.summary() == (3, Decimal("3.50"), 1)
    assert [line.cost for line in listing.page(0, 3)] == [Decimal("2.50"), Decimal(1), None]
    rows = write_lines(tmp_path / "l.csv", "h", listing, ListingView()).read_text().splitlines()
    assert rows[-1].endswith(",1,2,3,")  # blank, not $0


def test_text_sorts_whatever_its_case():
    listing = _listing(("Zed", "", None), ("alice", "", None), ("Bob", "", None))
    teams = [line.team for line in listing.page(0, 3, ListingView("team", descending=False))]
    assert teams == ["alice", "Bob", "Zed"]


def test_the_last_holder_closes_the_listing():
    listing = _listing(("a", "", Decimal(1)))
    reader = listing.retain()  # a worker about to read it
    listing.release()  # the window moves on: the worker still holds it
    assert reader.page(0, 1)[0].team == "a"
    reader.release()
    assert listing.closed
    with pytest.raises(ListingClosed):
        listing.page(0, 1)
    with pytest.raises(ListingClosed):
        listing.retain()


def test_the_lines_shown_export_whole_and_exact(month, tmp_path):
    view = ListingView("team", descending=False, search="data")
    count, total, _ = month.summary(view)
    csv_file = write_lines(tmp_path / "lines.csv", "2026-10 · Whole month", month, view)
    rows = csv_file.read_text(encoding="utf-8").splitlines()
    assert rows[0] == "# 2026-10 · Whole month"
    assert rows[1].startswith("team,product,environment,model,service_tier,day,api_key")
    assert rows[1].endswith("requests,input_tokens,output_tokens,cost_usd")
    assert len(rows) == 2 + count
    assert sum((Decimal(r.rsplit(",", 1)[1]) for r in rows[2:]), Decimal(0)) == total
    book = load_workbook(write_lines(tmp_path / "lines.xlsx", "heading", month, view))
    sheet = book.active
    assert sheet.max_row == 2 + count
    assert sum(
        (Decimal(str(row[-1].value)) for row in sheet.iter_rows(min_row=3)), Decimal(0)
    ) == pytest.approx(total)


def test_text_that_looks_like_a_formula_stays_text(tmp_path):
    from app.services.view_export import write_table

    book = load_workbook(write_table(tmp_path / "t.xlsx", "h", ["user"], [["=1+1"], ["-2"]]))
    cells = [row[0] for row in book.active.iter_rows(min_row=3)]
    assert cells[0].value == "=1+1" and cells[0].data_type == "s"
    csv_rows = write_table(tmp_path / "t.csv", "h", ["user"], [["=1+1"]]).read_text().splitlines()
    assert csv_rows[2] == "'=1+1"
