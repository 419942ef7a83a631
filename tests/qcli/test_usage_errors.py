"""Mistakes a user makes before any request succeeds end in one line on stderr and the
documented exit code, never a Python traceback."""
import os

import pytest

from qairon_qcli.cli import ExitStatus
from qairon_qcli.client import Client, InvalidInput


@pytest.mark.parametrize("endpoint, says", [
    ("127.0.0.1:5401", "give the scheme too, e.g. http://127.0.0.1:5401"),
    ("localhost", "give the scheme too"),
    ("ftp://127.0.0.1:5401", "scheme must be http or https"),
    ("http://127.0.0.1:99999", "port is not a number"),
    ("http://", "names no host"),
])
def test_an_endpoint_that_is_not_a_url_is_a_usage_error(qcli, endpoint, says):
    result = qcli(["service", "list"], endpoint=endpoint)
    assert result.status == ExitStatus.USAGE
    assert result.stderr.count("\n") == 1 and says in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_a_bad_endpoint_is_refused_before_a_request_also_from_python():
    client = Client("127.0.0.1:5401")
    with pytest.raises(InvalidInput, match="give the scheme too"):
        client.get("services", "x")


def test_an_unreachable_endpoint_is_still_a_connection_error(qcli):
    result = qcli(["service", "list"], endpoint="http://127.0.0.1:9")
    assert result.status == ExitStatus.CONNECTION and result.stderr.count("\n") == 1


@pytest.mark.parametrize("make", ["missing", "directory", "under a file", "no permission"])
def test_a_csv_file_that_cannot_be_read_is_a_usage_error(qcli, tmp_path, make):
    path = tmp_path / "stacks.csv"
    if make == "directory":
        path.mkdir()
    elif make == "under a file":
        path.write_text("application_id,name\n")
        path = path / "inner.csv"
    elif make == "no permission":
        path.write_text("application_id,name\nshop,web\n")
        path.chmod(0)
        if os.access(path, os.R_OK):  # root reads anything: a dangling link instead
            path.unlink()
            path.symlink_to(tmp_path / "gone.csv")
    result = qcli(["csv_import", "import_csv", "stack", str(path)])
    assert result.status == ExitStatus.USAGE
    assert result.stderr.startswith(f"qcli: cannot read {path}: "), result.stderr
    assert result.stderr.count("\n") == 1 and result.stdout == ""


def test_a_directory_that_cannot_be_read_is_a_usage_error(qcli, tmp_path):
    result = qcli(["csv_import", "import_dir", str(tmp_path / "nope")])
    assert result.status == ExitStatus.USAGE
    assert "cannot read directory" in result.stderr and result.stderr.count("\n") == 1
