"""A literal LIKE prefix gains a key range (so a B-tree index serves it); anything
else is left alone, so the rows matched never change."""
from qairon.api.query import prefix_range


def test_literal_prefix_gains_a_key_range():
    filt = {"name": "id", "op": "like", "val": "ecommerce:che%"}
    assert prefix_range(filt) == {"and": [
        filt, {"name": "id", "op": "ge", "val": "ecommerce:che"},
        {"name": "id", "op": "lt", "val": "ecommerce:chf"}]}


def test_other_filters_are_unchanged():
    for filt in ({"name": "id", "op": "like", "val": "%x%"},
                 {"name": "id", "op": "like", "val": "a_b%"},
                 {"name": "id", "op": "like", "val": "%"},
                 {"name": "id", "op": "eq", "val": "a%"},
                 {"name": "id", "op": "like", "val": "abc"}):
        assert prefix_range(filt) == filt


def test_nested_filters_are_rewritten():
    inner = {"name": "name", "op": "like", "val": "web%"}
    assert prefix_range({"or": [inner]})["or"][0]["and"][0] == inner


def test_the_upper_bound_skips_the_surrogates():
    ranged = prefix_range({"name": "id", "op": "like", "val": "a\ud7ff%"})
    assert ranged["and"][2]["val"] == "a\ue000"
