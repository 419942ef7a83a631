"""Schemathesis, driven by ``/api/openapi.json``, against a live server.

    python -m tests.fuzz.schema_fuzz [--backends sqlite,postgresql] [--stateless-seconds N]
                                     [--stateful-seconds N] [--examples N] [--seed N]

Two bounded runs per server (:class:`tests.support.live_server.LiveServer`):

* stateless — the ``coverage`` phase (boundary and invalid values of every
  parameter and body of every operation of both faces) then ``fuzzing``
  (random ones), at most ``--examples`` per operation and ``--stateless-seconds``;
* stateful — sequences that follow the document's links (create, then get,
  patch, delete the new object, or create its children) on the plain face's
  collections and items, for ``--stateful-seconds``, with valid data only and
  the document's own links only (:data:`CONFIG`: schemathesis otherwise infers
  some two thousand more, and spends its time on them).

Checks: no 5xx, and every status, content type and body as the document says.
Requests and server errors are counted from the server's own request log; a
response the server failed to send (a dropped connection) counts as an error.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field

CHECKS = ("not_a_server_error", "status_code_conformance", "content_type_conformance",
          "response_schema_conformance")
#: The plain face's collections and items: where create -> get -> patch -> delete is linked.
CRUD_PATHS = r"^/api/[a-z_]+(/\{id\})?$"
CONFIG = """\
[phases.stateful]
inference.algorithms = []
generation.mode = "positive"
"""
REQUEST_LINE = re.compile(r'HTTP/1\.[01]" (\d{3}) ')
SEND_FAILURE = "Error on request"


@dataclass
class Outcome:
    """What one server saw and what schemathesis reported."""

    backend: str
    requests: int = 0
    server_errors: int = 0
    send_failures: int = 0
    test_cases: int = 0
    failures: list = field(default_factory=list)
    exit_codes: list = field(default_factory=list)
    seconds: float = 0.0
    output: str = ""

    @property
    def ok(self):
        """True when no check failed, nothing errored and the server answered every request."""
        return (not self.failures and self.server_errors == 0 and self.send_failures == 0
                and all(code == 0 for code in self.exit_codes))

    def line(self):
        """One summary line."""
        return (f"schemathesis {self.backend}: {self.requests} requests, {self.test_cases} test "
                f"cases, {self.server_errors} server errors, {len(self.failures)} failed "
                f"checks, {self.seconds:.0f} s")


def schemathesis(url, report, *options):
    """Run the schemathesis CLI on the server's document; ``(exit code, output, report)``."""
    config = os.path.join(os.path.dirname(report), "schemathesis.toml")
    with open(config, "w", encoding="utf-8") as handle:
        handle.write(CONFIG)
    command = [sys.executable, "-m", "schemathesis.cli", "--config-file", config, "run",
               url + "/api/openapi.json",
               "--checks", ",".join(CHECKS), "--workers", "2", "--no-shrink",
               "--request-timeout", "30", "--report", "json", "--report-json-path", report,
               *options]
    done = subprocess.run(command, capture_output=True, text=True, timeout=1800,
                          cwd=os.path.dirname(report),  # its cache goes there too
                          env={**os.environ, "NO_COLOR": "1"})
    try:
        with open(report, encoding="utf-8") as handle:
            summary = json.load(handle)
    except (OSError, ValueError):
        summary = {}
    return done.returncode, done.stdout + done.stderr, summary


def runs(stateless_seconds, stateful_seconds, examples, seed):
    """The two runs' CLI options."""
    common = ["--seed", str(seed), "--max-examples", str(examples)]
    return [("stateless", [*common, "--phases", "coverage,fuzzing",
                           "--max-time", str(stateless_seconds)]),
            ("stateful", [*common, "--phases", "stateful", "--max-time", str(stateful_seconds),
                          "--include-path-regex", CRUD_PATHS])]


def fuzz(server, backend, report_dir, stateless_seconds=100, stateful_seconds=40, examples=2,
         seed=1):
    """Both runs against the started ``server``; the :class:`Outcome`."""
    outcome = Outcome(backend)
    started = time.monotonic()
    for name, options in runs(stateless_seconds, stateful_seconds, examples, seed):
        code, output, summary = schemathesis(server.url, os.path.join(report_dir,
                                                                      f"{name}.json"), *options)
        outcome.exit_codes.append(code)
        outcome.output += f"--- {name} (exit {code}) ---\n{output[-6000:]}\n"
        outcome.test_cases += summary.get("test_cases", {}).get("generated", 0)
        outcome.failures += [f"{name}: {f.get('code')} {f.get('title')} x{f.get('count')}: "
                             f"{', '.join(f.get('operations', [])[:5])}"
                             for f in summary.get("failures", [])]
        outcome.failures += [f"{name}: error {e}" for e in summary.get("errors", [])]
    outcome.seconds = time.monotonic() - started
    log = server.log()
    statuses = REQUEST_LINE.findall(log)
    outcome.requests = len(statuses)
    outcome.server_errors = sum(1 for status in statuses if status.startswith("5"))
    outcome.send_failures = log.count(SEND_FAILURE)
    return outcome


def main(argv=None):
    """Fuzz a fresh server per backend; print one line each; 1 when anything failed."""
    from tests.support.live_server import LiveServer
    parser = argparse.ArgumentParser(prog="python -m tests.fuzz.schema_fuzz", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--database-url", default=os.environ.get("QAIRON_TEST_DATABASE_URL"))
    parser.add_argument("--stateless-seconds", type=int, default=300)
    parser.add_argument("--stateful-seconds", type=int, default=120)
    parser.add_argument("--examples", type=int, default=10, help="per operation")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    failed = False
    for backend in args.backends.split(","):
        if backend == "postgresql" and not args.database_url:
            print("postgresql skipped: no --database-url or QAIRON_TEST_DATABASE_URL",
                  file=sys.stderr)
            continue
        with tempfile.TemporaryDirectory(prefix="qairon-schemathesis-") as reports, \
                LiveServer("sqlite" if backend == "sqlite" else args.database_url) as server:
            outcome = fuzz(server, backend, reports, args.stateless_seconds,
                           args.stateful_seconds, args.examples, args.seed)
        print(outcome.line())
        if not outcome.ok:
            failed = True
            print("\n".join(outcome.failures) + "\n" + outcome.output)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
