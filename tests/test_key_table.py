"""``KeyTable`` against the dict it replaces: ``setdefault`` and ``get`` over any sequence, across merges and pickling."""

import pickle

from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.key_table import KeyTable

KEYS = st.one_of(st.integers(0, 40), st.integers(0, 2**64 - 1))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["set", "get", "pickle"]), st.lists(KEYS, min_size=1, max_size=4)),
                max_size=120), st.integers(1, 8))
def test_a_key_table_answers_as_a_dict_of_first_positions(steps, merge_at):
    table, oracle = KeyTable(merge_at=merge_at), {}
    for position, (action, keys) in enumerate(steps):
        if action == "set":
            table.setdefault_many(keys, position)
            for key in keys:
                oracle.setdefault(key, position)
        elif action == "pickle":
            table = pickle.loads(pickle.dumps(table))
        assert [table.get(key) for key in keys] == [oracle.get(key) for key in keys]
        assert len(table) == len(oracle)
    probe = [key for _, keys in steps for key in keys] + [7, 2**64 - 1, 0]
    assert table.get_many(probe) == [oracle.get(key) for key in probe]


def test_an_empty_table_finds_nothing():
    table = KeyTable()
    assert table.get(5) is None and table.get_many([0, 5, 2**64 - 1]) == [None, None, None] and table.get_many([]) == []
    assert pickle.loads(pickle.dumps(table)).get(5) is None
