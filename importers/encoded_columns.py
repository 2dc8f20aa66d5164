"""Dictionary-encoded text columns for the rollup of a big file: each distinct value (a key, a
user, a tag's JSON) is held once and rows hold a 32-bit index, so the text of hundreds of
thousands of groups is never all in memory at once, and cleaning touches each value once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

FETCH_ROWS = 65_536
TEXT = pa.dictionary(pa.int32(), pa.string())


class NullInGroup(ValueError):
    """A text column of the rollup holds a null (the readers give empty text, never null)."""


def _is_text(kind: pa.DataType) -> bool:
    return bool(pa.types.is_string(kind) or pa.types.is_large_string(kind))


def _encoded(column: pa.Array) -> pa.Array:
    if not _is_text(column.type):
        return column
    if pa.types.is_large_string(column.type):
        column = column.cast(pa.string())
    return pc.dictionary_encode(column)


def encoded_result(relation: duckdb.DuckDBPyRelation) -> pa.Table:
    """The rows of ``relation``, its text columns dictionary-encoded as they are fetched."""
    reader = relation.to_arrow_reader(FETCH_ROWS)
    schema = pa.schema([pa.field(f.name, TEXT) if _is_text(f.type) else f for f in reader.schema])
    batches = [
        pa.RecordBatch.from_arrays([_encoded(c) for c in batch.columns], schema=schema)
        for batch in reader
    ]
    return pa.Table.from_batches(batches, schema).unify_dictionaries()


def _indices(column: pa.DictionaryArray) -> np.ndarray:
    if column.null_count:
        raise NullInGroup("a text column of the rollup has a null")
    return column.indices.to_numpy(zero_copy_only=False)


def as_single_array(column: pa.ChunkedArray | pa.Array) -> pa.DictionaryArray:
    """``column`` (text, or already encoded with one dictionary) as one encoded array."""
    if isinstance(column, pa.ChunkedArray):
        column = (
            column.combine_chunks()
            if pa.types.is_dictionary(column.type)
            else pa.concat_arrays(column.chunks)
            if column.num_chunks
            else pa.array([], column.type)
        )
    return column if pa.types.is_dictionary(column.type) else pc.dictionary_encode(column)


def with_values(codes: np.ndarray, values: Sequence[str]) -> tuple[pa.DictionaryArray, bool]:
    """Rows ``codes`` into ``values``, with a dictionary of distinct values; and whether the
    values were distinct already (no two codes were merged)."""
    positions: dict[str, int] = {}
    remap = np.fromiter(
        (positions.setdefault(v, len(positions)) for v in values), dtype=np.int32, count=len(values)
    )
    rows = remap[codes] if len(values) else np.zeros(len(codes), dtype=np.int32)
    dictionary = pa.array(list(positions), pa.string())
    return pa.DictionaryArray.from_arrays(pa.array(rows, pa.int32()), dictionary), len(
        positions
    ) == len(values)


def mapped(
    column: pa.ChunkedArray | pa.Array, function: Callable[[str], str]
) -> tuple[pa.DictionaryArray, bool]:
    """``function`` of every value, called once per distinct value, kept encoded; and whether
    no two distinct values were mapped to the same result."""
    encoded = as_single_array(column)
    values = [function(value) for value in encoded.dictionary.to_pylist()]
    return with_values(_indices(encoded), values)


def constant(value: str, length: int) -> pa.DictionaryArray:
    return with_values(np.zeros(length, dtype=np.int64), [value])[0]


def replaced_where(column: pa.DictionaryArray, mask: np.ndarray, value: str) -> pa.DictionaryArray:
    """``column`` with ``value`` in the rows of ``mask``."""
    values = column.dictionary.to_pylist()
    codes = _indices(column).astype(np.int64)
    codes[mask] = len(values)
    return with_values(codes, [*values, value])[0]


def combined(
    pieces: Sequence[pa.DictionaryArray], join: Callable[[tuple[str, ...]], str]
) -> pa.DictionaryArray:
    """One value per row made by ``join`` from the rows of ``pieces``, once per distinct
    combination of their values."""
    dictionaries = [p.dictionary.to_pylist() for p in pieces]
    sizes = [max(len(d), 1) for d in dictionaries]
    if float(np.prod(sizes, dtype=np.float64)) < 2.0**62:
        # One integer per row (mixed radix): a one-dimensional unique is many times faster.
        number = np.zeros(len(pieces[0]), dtype=np.int64)
        for piece, size in zip(pieces, sizes, strict=True):
            number = number * size + _indices(piece)
        distinct, rows = np.unique(number, return_inverse=True)
        combinations = np.empty((len(distinct), len(pieces)), dtype=np.int64)
        for column in range(len(pieces) - 1, -1, -1):
            combinations[:, column] = distinct % sizes[column]
            distinct = distinct // sizes[column]
    else:
        codes = np.stack([_indices(p) for p in pieces], axis=1)
        combinations, rows = np.unique(codes, axis=0, return_inverse=True)
    values = [
        join(tuple(d[i] for d, i in zip(dictionaries, combination, strict=True)))
        for combination in combinations
    ]
    return with_values(rows.reshape(-1), values)[0]


def sorted_codes(column: pa.DictionaryArray) -> tuple[np.ndarray, list[str]]:
    """Each row's rank among the distinct values in text order, and the values in that order."""
    values = column.dictionary.to_pylist()
    order = sorted(range(len(values)), key=values.__getitem__)
    rank = np.empty(len(values), dtype=np.int64)
    rank[order] = np.arange(len(values))
    return rank[_indices(column)], [values[i] for i in order]


LOOKUP_LIMIT = 1 << 16
"""Up to this many distinct values, a block's values find their codes in one vectorised lookup;
beyond (a column of ids, say) one dictionary lookup per value keeps the cost linear."""


class TextCodes:
    """Integer codes for the text values of one column, the same in every block of a file: the
    rollup groups by 32-bit codes instead of text (less memory, faster hashing), and the codes
    become a dictionary-encoded column again afterwards. With ``clean``, a value's code is its
    cleaned value's (a dated and an undated model id share one), each value cleaned once."""

    def __init__(self, clean: Callable[[str], str] | None = None) -> None:
        self._clean = clean
        self._by_value: dict[str, int] = {}
        self._by_cleaned: dict[str, int] = {}
        self._values: list[str] = []
        self._seen = pa.array([], pa.string())
        """The raw values met so far, in the order met (while there are few)."""
        self._seen_codes = np.zeros(0, dtype=np.int32)

    def _code(self, value: str) -> int:
        code = self._by_value.get(value)
        if code is None:
            cleaned = value if self._clean is None else self._clean(value)
            code = self._by_cleaned.get(cleaned)
            if code is None:
                code = self._by_cleaned[cleaned] = len(self._values)
                self._values.append(cleaned)
            self._by_value[value] = code
        return code

    def _dictionary_codes(self, dictionary: pa.Array) -> np.ndarray:
        """The code of each value of a block's dictionary (distinct values)."""
        if len(self._by_value) + len(dictionary) > LOOKUP_LIMIT:
            values = dictionary.to_pylist()
            return np.fromiter((self._code(v) for v in values), dtype=np.int32, count=len(values))
        found = pc.index_in(dictionary, value_set=self._seen)
        if found.null_count:
            new = dictionary.filter(pc.is_null(found))
            codes = [self._code(v) for v in new.to_pylist()]
            self._seen = pa.concat_arrays([self._seen, new.cast(pa.string())])
            self._seen_codes = np.concatenate([self._seen_codes, np.array(codes, np.int32)])
            found = pc.index_in(dictionary, value_set=self._seen)
        return self._seen_codes[found.to_numpy(zero_copy_only=False)]

    def code_of(self, cleaned: str) -> int | None:
        """The code of a cleaned value, or ``None`` while no value cleaned to it was met."""
        return self._by_cleaned.get(cleaned)

    def encode(self, column: pa.ChunkedArray | pa.Array) -> pa.Array:
        """The codes of ``column``'s values (text or dictionary-encoded text, no nulls)."""
        chunks = column.chunks if isinstance(column, pa.ChunkedArray) else [column]
        parts = []
        for chunk in chunks:
            local = chunk if pa.types.is_dictionary(chunk.type) else pc.dictionary_encode(chunk)
            if len(local.dictionary):
                parts.append(self._dictionary_codes(local.dictionary)[_indices(local)])
        return pa.array(np.concatenate(parts) if parts else [], pa.int32())

    def decoded(self, codes: pa.ChunkedArray | pa.Array) -> pa.DictionaryArray:
        """Codes made by :meth:`encode` as a dictionary-encoded text column."""
        if isinstance(codes, pa.ChunkedArray):
            codes = pa.concat_arrays(codes.chunks) if codes.num_chunks else pa.array([], pa.int32())
        return pa.DictionaryArray.from_arrays(
            codes.cast(pa.int32()), pa.array(self._values, pa.string())
        )
