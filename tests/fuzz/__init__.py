"""A bounded fuzz of both REST faces, generated from the registry.

    python -m tests.fuzz [--requests 18000] [--seed N] [--url http://...]   (make fuzz)

Hypothesis draws requests from the resource schema and the URL map: hostile
IDs (NUL bytes, lone surrogates, huge numbers, long strings), filters of every
shape, bodies of every JSON type (NaN, deep nesting, wrong types), pagination,
include and sort parameters, bulk, link and action bodies. Every answer is
checked (:mod:`tests.fuzz.checks`): no 5xx, every error in the one shape, no
SQL or Python text. ``tests/fuzz/test_fuzz.py`` runs a small deterministic
share of it inside the suite.
"""
