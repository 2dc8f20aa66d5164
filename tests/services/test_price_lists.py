"""Price lists: a whole list imported in one transaction after every entry is checked, the
price book in force exported in the same shapes, closed months untouched."""

from decimal import Decimal

import pytest

from app.services.closing import close_period
from app.services.importing import import_file
from app.services.invoices import invoice_document
from app.services.price_list_files import PriceListError
from app.services.prices import export_price_list, import_price_list, price_book_entries
from app.services.workspaces import create_workspace


def _user_entries(workspace):
    return {
        (e.model, e.effective_from.isoformat()): (e.input, e.output, e.cache_read)
        for e in price_book_entries(workspace).entries
        if e.source == "user"
    }


@pytest.mark.parametrize("suffix", [".toml", ".csv"])
def test_an_exported_list_imports_back_as_the_same_prices(workspace, tmp_path, suffix):
    listed = tmp_path / f"book{suffix}"
    count = export_price_list(workspace, listed)
    other = create_workspace(tmp_path / "other.cbdesk")
    try:
        done = import_price_list(other, listed)
        assert (done.added, done.replaced) == (count, 0)
        builtin = {
            (e.model, e.effective_from.isoformat()): (e.input, e.output, e.cache_read)
            for e in price_book_entries(workspace).entries
        }
        assert _user_entries(other) == builtin
        again = import_price_list(other, listed)
        assert (again.added, again.replaced) == (0, count)
    finally:
        other.dispose()


def test_a_list_with_one_bad_entry_changes_nothing_and_names_it(workspace, tmp_path):
    path = tmp_path / "list.csv"
    path.write_text(
        "model,effective_from,input,output,cache_read\n"
        "claude-haiku-4-5,2026-10-07,0.90,4.50,0.09\n"
        "claude-opus-5-5,2026-12-01,3,15,\n"
        "claude-sonnet-5-5,2026-12-01,2,ten,\n",
        encoding="utf-8",
    )
    with pytest.raises(PriceListError, match=r"list\.csv, row 4: .*output is not a number"):
        import_price_list(workspace, path)
    assert _user_entries(workspace) == {}


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("a.csv", "model,input\nx,1\n", r"a\.csv, row 1: no column output"),
        ("b.csv", "model,input,output,colour\nx,1,2,red\n", r"column colour"),
        ("c.csv", "model,input,output\nx,1,2\nX,3,4\n", r"row 3: x from .* also in row 2"),
        ("d.toml", "[[prices]]\nmodel = 'x'\ninput = '1'\n", r"entry 1: .*lacks 'output'"),
        ("e.json", "{}", r"\.toml or \.csv"),
        ("f.csv", "model,input,output\n", r"no price entries"),
    ],
)
def test_what_cannot_be_imported_is_said_with_where(workspace, tmp_path, name, text, message):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PriceListError, match=message):
        import_price_list(workspace, path)


def test_a_price_list_never_changes_a_closed_month(workspace, tmp_path, data_dir):
    import_file(workspace, data_dir / "gateway_requests.csv")
    close_period(workspace, "2026-10", allow_empty=True)
    before = invoice_document(workspace, "2026-10")
    path = tmp_path / "cheaper.csv"
    path.write_text(
        "model,input,output\nclaude-opus-4-7,0.01,0.01\nclaude-sonnet-4-6,0.01,0.01\n",
        encoding="utf-8",
    )
    import_price_list(workspace, path)
    assert invoice_document(workspace, "2026-10") == before
    assert _user_entries(workspace)[("claude-opus-4-7", "2000-01-01")][0] == Decimal("0.01")


@pytest.mark.parametrize("suffix", [".toml", ".csv"])
def test_contract_discounts_travel_in_a_price_list(workspace, tmp_path, suffix):
    from app.services.prices import set_discount

    set_discount(workspace, {"discount_percent": "10", "effective_from": "2026-06-01"}, "EA")
    set_discount(workspace, {"discount_percent": "20", "model": "claude-haiku-4-5"})
    listed = tmp_path / f"book{suffix}"
    export_price_list(workspace, listed)
    other = create_workspace(tmp_path / "other.cbdesk")
    try:
        done = import_price_list(other, listed)
        assert done.discounts == 2
        found = {
            (d.model, d.effective_from.isoformat(), d.percent, d.note)
            for d in price_book_entries(other).discounts
        }
        assert found == {
            ("", "2026-06-01", Decimal(10), "EA"),
            ("claude-haiku-4-5", "2000-01-01", Decimal(20), ""),
        }
    finally:
        other.dispose()


def test_a_row_is_a_price_or_a_discount_not_both(workspace, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("model,input,output,discount_percent\nclaude-opus-5-5,4,20,10\n")
    with pytest.raises(PriceListError, match="row 2, input: a row is a price or a discount"):
        import_price_list(workspace, bad)
    discounts_only = tmp_path / "d.csv"
    discounts_only.write_text("model,effective_from,discount_percent\n,2026-01-01,7.5\n")
    assert import_price_list(workspace, discounts_only).discounts == 1
