"""Hypothesis strategies for hostile values: strings, numbers, JSON, deep nesting.

Nothing here knows a resource: the request strategies (:mod:`tests.fuzz.plain`,
:mod:`tests.fuzz.jsonapi`) combine these with the names read from the registry.
"""
import json

from hypothesis import strategies as st

NASTY_TEXT = [
    "", " ", "\x00", "a\x00b", "\ud800", "x\udfffy", "line\nbreak", "\r\n", "\x01", "\t",
    "%", "%00", "%2F", "%zz", "../..", "/", "//", ":", "::", "a:b", "'", '"', "\\", "{}",
    "[]", "null", "true", "NaN", "-1", "0", "1e309", "9" * 30, "é",
    "\U0001F600", "\u202e", "<b>", "$(id)", "*", "?", "#", ";", "a b", "trace", "defaults",
    "..", "a/../b", "%2e%2e", "a%2Fb", "\x1b[31m", "\x7f", "\x85",
]
#: SQL metacharacters and injections, for filter values, field names and IDs.
SQL_TEXT = ["' OR '1'='1", "1; DROP TABLE service; --", '" OR ""="', "%' --", "\\'", "_%",
            "1 UNION SELECT id FROM service", "/*", "*/", "' || '", "$1", "?", ":name",
            "ID'); DELETE FROM environment; --"]
#: One mebibyte: the body limit, and far past every name and ID limit.
MEBIBYTE = 1 << 20
HUGE_NUMBERS = [2 ** 63, -(2 ** 63) - 1, 2 ** 64, 10 ** 30, -1, 0, 1, 2 ** 31, 10 ** 400]
DEPTHS = [50, 1000, 5000, 100_000]


def long_texts():
    """Text of a few hundred or thousand characters, or of a mebibyte."""
    return st.builds(lambda char, n: char * n, st.sampled_from("xy:/"),
                     st.sampled_from([255, 256, 300, 1000, 5000, MEBIBYTE]))


def texts():
    """Short text, hostile text, SQL, or long text."""
    return st.one_of(st.sampled_from(NASTY_TEXT), st.text(max_size=24),
                     st.text(alphabet="abc:/-_.", max_size=12), st.sampled_from(SQL_TEXT),
                     long_texts())


def numbers():
    """Integers (huge too) and floats (NaN and infinities too)."""
    return st.one_of(st.sampled_from(HUGE_NUMBERS), st.integers(),
                     st.floats(allow_nan=True, allow_infinity=True))


def scalars():
    """Any JSON scalar, hostile ones included."""
    return st.one_of(st.none(), st.booleans(), numbers(), texts())


def json_values(max_leaves=8):
    """Any JSON value, nested a little."""
    return st.recursive(scalars(), lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(texts(), children, max_size=4)), max_leaves=max_leaves)


def deep_json(depth, kind="list"):
    """JSON text nested ``depth`` deep, built as text (``json.dumps`` would recurse)."""
    if kind == "list":
        return "[" * depth + "]" * depth
    return '{"a":' * depth + "1" + "}" * depth


@st.composite
def raw_json(draw, value_strategy):
    """A body: the JSON of a drawn value (NaN allowed), deep JSON, or not JSON at all."""
    choice = draw(st.integers(0, 19))  # Hypothesis favours 0: the plain JSON of a value
    if choice == 18:
        return deep_json(draw(st.sampled_from(DEPTHS)), draw(st.sampled_from(["list", "dict"])))
    if choice == 19:
        return draw(st.sampled_from(["", "{", "nul", "[1,]", "\x00", '{"a":NaN}', "\ufeff{}",
                                     '{"a": 1} trailing', "null", "[]", '"text"', "1e99999"]))
    return json.dumps(draw(value_strategy))


def ids(known):
    """An existing ID, one mangled, or a hostile string."""
    options = [texts(), st.sampled_from([str(n) for n in HUGE_NUMBERS])]
    if known:
        existing = st.sampled_from(sorted(known))
        options += [existing, existing, existing,
                    st.builds(lambda i, s: i + s, existing, st.sampled_from(NASTY_TEXT)),
                    existing.map(lambda i: i.rsplit(":", 1)[0])]
    return st.one_of(*options)


def flags():
    """Values of a true/false parameter, valid or not."""
    return st.sampled_from(["true", "false", "1", "0", "yes", "no", "maybe", "", "TRUE", "\x00"])


def counts():
    """Values of a count parameter (limit, offset, page size, depth), valid or not."""
    return st.one_of(st.sampled_from(["0", "1", "-1", "abc", "1.5", "", "\x00", str(2 ** 63),
                                      str(10 ** 30), "1e3", " 5", "0x10", "-0", "+5", "¹", "٣",
                                      str(-(2 ** 63)), "-" + "9" * 40, "1; DROP TABLE x"]),
                     st.integers(0, 2000).map(str))
