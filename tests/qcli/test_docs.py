"""The exit-code tables of the docs say what ``ExitStatus`` says, in both directions."""
import os
import re

import pytest

from qairon_qcli.cli import ExitStatus
from qairon_qcli.parser import DESCRIPTION

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def table_after(path, header):
    """The rows (lists of cells) of the Markdown table whose header row starts with ``header``."""
    with open(os.path.join(ROOT, path), encoding="utf-8") as handle:
        lines = handle.read().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(header))
    rows = []
    for line in lines[start + 2:]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
    return rows


def codes(cell):
    """The exit codes a cell lists: ``4``, ``5, 6``."""
    return [int(code) for code in re.findall(r"\d+", cell)]


def test_readme_lists_every_exit_status_and_no_other():
    rows = table_after("README.md", "| code | meaning |")
    assert [int(row[0]) for row in rows] == [status.value for status in ExitStatus]


def test_qcli_doc_lists_every_exit_status_by_name_and_no_other():
    rows = table_after("docs/QCLI.md", "| code | name | when |")
    assert [(int(row[0]), row[1].strip("`")) for row in rows] == \
        [(status.value, status.name) for status in ExitStatus]


def test_csv_import_doc_uses_only_exit_statuses_that_exist():
    rows = table_after("CSV_IMPORT.md", "| exit | when |")
    listed = [code for row in rows for code in codes(row[0])]
    assert listed and set(listed) <= {status.value for status in ExitStatus}


@pytest.mark.parametrize("status", list(ExitStatus))
def test_help_text_gives_every_exit_status_its_meaning(status):
    assert f"{status.value} {status.summary}" in " ".join(DESCRIPTION.split())
