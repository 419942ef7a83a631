"""A small, deterministic share of the fuzz inside the suite, on each database.

The requests are derandomized (the same ones on every run) and bounded
(:data:`REQUESTS` per database, well under a minute); ``make fuzz`` runs many
more. On failure the message holds the summary and one example of every
distinct problem: the request and the answer.
"""
import pytest

from . import catalog, report
from .runner import ClientTarget, run

REQUESTS = 500


@pytest.fixture(scope="module")
def cat():
    return catalog.load()


def test_fuzz_both_faces_no_5xx_one_error_shape_no_leaks(app, cat, fuzz_report):
    tally = run(ClientTarget(app), cat, REQUESTS)
    assert sum(tally.requests.values()) == REQUESTS
    assert set(tally.requests) == {"plain", "jsonapi"}
    backend = app.config["SQLALCHEMY_DATABASE_URI"].split(":", 1)[0]
    refused = sum(n for counter in tally.statuses.values() for s, n in counter.items()
                  if 400 <= s < 500)
    fuzz_report(f"fuzz {backend}: {REQUESTS} requests, {tally.count('5xx')} server errors, "
                f"{refused} refused (each checked to change no row), "
                f"{tally.failures} broken promises")
    results = [(backend, tally)]
    assert tally.failures == 0, (f"\n{report.table(results)}\n\n"
                                 f"{report.examples(results, 60)}")
