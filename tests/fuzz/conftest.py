"""The fuzz tests' counts, printed at the end of the run (CI's log shows them)."""
import pytest

LINES = []


@pytest.fixture
def fuzz_report():
    """Append a summary line to the report printed after the tests."""
    return LINES.append


def pytest_terminal_summary(terminalreporter):
    if LINES:
        terminalreporter.section("fuzz")
        for line in LINES:
            terminalreporter.write_line(line)
