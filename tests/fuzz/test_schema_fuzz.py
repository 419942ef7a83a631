"""Schemathesis against a live server on each database, within a fixed time budget.

The budget (:data:`STATELESS_SECONDS` + :data:`STATEFUL_SECONDS` per database)
keeps ``make test`` bounded; ``make fuzz`` runs longer. The counts are printed
in the run's ``fuzz`` section.
"""
import os

import pytest

from tests.support.live_server import LiveServer

from .schema_fuzz import fuzz

STATELESS_SECONDS = 90
STATEFUL_SECONDS = 30
PG_URL = os.environ.get("QAIRON_TEST_DATABASE_URL")


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_schemathesis_finds_no_server_error_and_nothing_off_the_document(backend, tmp_path,
                                                                         fuzz_report):
    if backend == "postgresql" and not PG_URL:
        pytest.skip("PostgreSQL skipped: set QAIRON_TEST_DATABASE_URL to run it")
    with LiveServer("sqlite" if backend == "sqlite" else PG_URL) as server:
        outcome = fuzz(server, backend, str(tmp_path), STATELESS_SECONDS, STATEFUL_SECONDS)
    fuzz_report(outcome.line())
    assert outcome.requests > 1000, outcome.output
    assert outcome.ok, "\n".join(outcome.failures) + "\n" + outcome.output
