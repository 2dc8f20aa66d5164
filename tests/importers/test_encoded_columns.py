"""Dictionary-encoded text columns of the rollup give, row for row, what plain text gives."""

import numpy as np
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from importers.encoded_columns import (
    TextCodes,
    combined,
    constant,
    mapped,
    replaced_where,
    sorted_codes,
)

texts = st.lists(st.sampled_from(["", "a", "B", " a", "ключ", "x y", "b"]), min_size=0, max_size=40)


@settings(max_examples=60, deadline=None)
@given(st.lists(texts, min_size=1, max_size=3).filter(lambda c: len({len(x) for x in c}) == 1))
def test_combined_joins_each_row_as_plain_text_would(columns):
    pieces = [mapped(pa.array(c, pa.string()), lambda v: v)[0] for c in columns]
    out = combined(pieces, lambda parts: "|".join(parts))
    assert out.to_pylist() == ["|".join(row) for row in zip(*columns, strict=True)]
    assert len(set(out.dictionary.to_pylist())) == len(out.dictionary)


@settings(max_examples=60, deadline=None)
@given(texts)
def test_mapped_applies_the_function_per_row_and_says_when_values_merge(values):
    column = pa.chunked_array(
        [pa.array(values[:5], pa.string()), pa.array(values[5:], pa.string())]
    )
    out, injective = mapped(column, str.strip)
    assert out.to_pylist() == [v.strip() for v in values]
    assert injective == (len({v.strip() for v in values}) == len(set(values)))


@settings(max_examples=60, deadline=None)
@given(st.lists(texts, min_size=1, max_size=4))
def test_codes_are_the_same_across_blocks_and_decode_to_the_text(blocks):
    codes = TextCodes()
    encoded = [codes.encode(pa.array(block, pa.string())) for block in blocks]
    decoded = codes.decoded(pa.chunked_array(encoded, pa.int32()))
    assert decoded.to_pylist() == [v for block in blocks for v in block]


@settings(max_examples=60, deadline=None)
@given(texts, st.data())
def test_sorting_codes_follow_the_text_and_replacing_rows_keeps_the_others(values, data):
    column = mapped(pa.array(values, pa.string()), lambda v: v)[0]
    ranks, ordered = sorted_codes(column)
    assert ordered == sorted(set(values)) or not values
    assert [ordered[r] for r in ranks] == values
    mask = np.array(data.draw(st.lists(st.booleans(), min_size=len(values), max_size=len(values))))
    replaced = replaced_where(column, mask.astype(bool), "batch")
    assert replaced.to_pylist() == ["batch" if m else v for v, m in zip(values, mask, strict=True)]
    assert constant("x", 3).to_pylist() == ["x", "x", "x"]


def test_values_that_clean_to_one_share_one_code_across_blocks():
    codes = TextCodes(str.strip)
    first = codes.encode(pa.array([" a", "b", "a"], pa.string()))
    second = codes.encode(pa.array(["a ", "c"], pa.string()))
    assert first.to_pylist()[0] == first.to_pylist()[2] == second.to_pylist()[0]
    decoded = codes.decoded(pa.chunked_array([first, second], pa.int32()))
    assert decoded.to_pylist() == ["a", "b", "a", "a", "c"]


@settings(max_examples=60, deadline=None)
@given(st.lists(texts, min_size=1, max_size=4), st.sampled_from([2, 1 << 16]))
def test_dictionary_encoded_blocks_decode_to_their_cleaned_text(blocks, limit):
    """Blocks read dictionary-encoded (each block its own dictionary, in its own order) get
    one code per cleaned value across blocks, with the vectorised lookup and with one lookup
    per value (past the limit)."""
    import importers.encoded_columns as encoded_columns

    original = encoded_columns.LOOKUP_LIMIT
    encoded_columns.LOOKUP_LIMIT = limit
    try:
        codes = TextCodes(str.strip)
        encoded = [
            codes.encode(pa.array(block[::-1], pa.string()).dictionary_encode()) for block in blocks
        ]
        decoded = codes.decoded(pa.chunked_array(encoded, pa.int32()))
        assert decoded.to_pylist() == [v.strip() for block in blocks for v in block[::-1]]
        assert len(set(decoded.dictionary.to_pylist())) == len(decoded.dictionary)
    finally:
        encoded_columns.LOOKUP_LIMIT = original
