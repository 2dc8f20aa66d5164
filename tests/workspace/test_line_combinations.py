"""Lines are numbered by their distinct combination of columns (dimension sets, line keys)
exactly as grouping the text would number them, whatever the column types and however many
values the columns have."""

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

import app.workspace.imports as imports

values = st.sampled_from(["", "a", "b", "ключ", None])
rows = st.lists(st.tuples(values, values, st.integers(0, 3)), min_size=1, max_size=40)


@settings(max_examples=80, deadline=None)
@given(rows, st.booleans(), st.sampled_from([4, 1 << 62]))
def test_rows_with_equal_columns_share_a_number_and_no_others_do(data, categorical, limit):
    frame = pd.DataFrame(data, columns=["x", "y", "n"])
    if categorical:
        frame["x"] = frame["x"].fillna("").astype("category")
    original = imports.COMBINATION_LIMIT
    imports.COMBINATION_LIMIT = limit  # small: the numbers are renumbered on the way
    try:
        numbers, first_rows = imports._combinations(frame, ["x", "y", "n"])
    finally:
        imports.COMBINATION_LIMIT = original
    as_text = [tuple(map(repr, row)) for row in frame.itertuples(index=False, name=None)]
    for i, row in enumerate(as_text):
        for j, other in enumerate(as_text):
            assert (numbers[i] == numbers[j]) == (row == other)
    assert sorted(numbers[first_rows]) == sorted(set(numbers))
    assert all(as_text.index(as_text[r]) == r for r in first_rows)
