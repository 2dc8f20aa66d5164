"""The price book page's services: entries with their source, unpriced models first, your
prices added, replaced, removed and imported as undoable changes."""

from __future__ import annotations

import pytest

from app.services.importing import import_file
from app.services.invoices import period_invoices
from app.services.policy_edits import EditRefused, EditStack, document_state
from app.services.price_book_changes import (
    import_prices,
    price_book_state,
    remove_price,
    set_price,
)


@pytest.fixture
def with_new_model(unmapped_month, tmp_path):
    log = tmp_path / "new.csv"
    log.write_text(
        "timestamp,request_id,api_key,model,input_tokens\n"
        "2026-11-03T10:00:00Z,n1,k-data,claude-newmodel-9,1000000\n"
        "2026-11-04T10:00:00Z,n2,k-data,claude-newmodel-9,1000000\n",
        encoding="utf-8",
    )
    assert import_file(unmapped_month, log).status == "imported"
    return unmapped_month


def test_rows_name_their_source_and_unpriced_models_are_listed(with_new_model):
    state = price_book_state(with_new_model)
    haiku = next(r for r in state.rows if r.model == "claude-haiku-4-5")
    assert not haiku.yours and haiku.source.startswith("built-in, checked 2026-")
    assert "platform.claude.com" in haiku.citation
    assert haiku.rates["input"] == "1"
    assert [(u.model, u.first_day, u.last_day, u.days) for u in state.unpriced] == [
        ("claude-newmodel-9", "2026-11-03", "2026-11-04", 2)
    ]


def test_add_replace_remove_and_undo(with_new_model):
    stack = EditStack(with_new_model)
    change = set_price(
        document_state(with_new_model),
        {"model": "claude-newmodel-9", "effective_from": "2026-11-01", "input": "2", "output": "8"},
    )
    assert change.description == "Add the price of claude-newmodel-9 from 2026-11-01"
    stack.apply(change)
    assert price_book_state(with_new_model).unpriced == []
    data = {
        i.team: i.total_cents
        for i in period_invoices(with_new_model, "2026-11").allocation.invoices
    }
    assert data["Data"] == 900 + 400  # 2M input at $2
    stack.apply(
        set_price(
            document_state(with_new_model),
            {
                "model": "claude-newmodel-9",
                "effective_from": "2026-11-01",
                "input": "3",
                "output": "8",
            },
        )
    )
    assert stack.descriptions()[-1] == "Change the price of claude-newmodel-9 from 2026-11-01"
    with pytest.raises(EditRefused, match="Only your own prices"):
        remove_price(document_state(with_new_model), "claude-haiku-4-5", "2024-01-01")
    stack.apply(remove_price(document_state(with_new_model), "claude-newmodel-9", "2026-11-01"))
    assert [u.model for u in price_book_state(with_new_model).unpriced] == ["claude-newmodel-9"]
    stack.undo()
    stack.undo()
    assert next(r for r in price_book_state(with_new_model).rows if r.yours).rates["input"] == "2"
    with pytest.raises(EditRefused) as refused:
        set_price(document_state(with_new_model), {"model": "x", "input": "abc", "output": "1"})
    assert refused.value.summary == "The price cannot be saved"


def test_import_a_price_list(with_new_model, tmp_path):
    path = tmp_path / "prices.csv"
    path.write_text(
        "model,effective_from,input,output\nclaude-newmodel-9,2026-11-01,2,8\n", encoding="utf-8"
    )
    stack = EditStack(with_new_model)
    stack.apply(import_prices(document_state(with_new_model), path))
    assert price_book_state(with_new_model).unpriced == []
    bad = tmp_path / "bad.csv"
    bad.write_text("model,input\nx,abc\n", encoding="utf-8")
    with pytest.raises(EditRefused, match=r"bad\.csv cannot be imported"):
        import_prices(document_state(with_new_model), bad)


def test_a_preview_is_what_applying_makes(with_new_model):
    """For a price, a mapping and a rename: the preview's after-totals are the invoices the
    applied change produces, to the cent."""
    from app.services.impact_preview import preview_change
    from app.services.mapping_changes import map_to_team
    from app.services.policy_edits import policy_state
    from app.services.taxonomy_changes import rename_team
    from app.services.unallocated import unallocated_queue

    stack = EditStack(with_new_model)
    value = next(v for v in unallocated_queue(with_new_model, "2026-11").values if v.value == "ann")
    for make in (
        lambda: set_price(
            document_state(with_new_model),
            {
                "model": "claude-newmodel-9",
                "effective_from": "2026-11-01",
                "input": "3",
                "output": "9",
            },
        ),
        lambda: map_to_team(policy_state(with_new_model), value, "Web"),
        lambda: rename_team(document_state(with_new_model), "Web", "Web Apps"),
    ):
        change = make()
        preview = preview_change(with_new_model, change, "2026-11")
        stack.apply(change)
        allocation = period_invoices(with_new_model, "2026-11").allocation
        actual = {i.team: i.total_cents for i in allocation.invoices}
        if allocation.unallocated_cents:
            actual["Unallocated"] = allocation.unallocated_cents
        assert {t.team: t.after_cents for t in preview.teams if t.after_cents} == actual
