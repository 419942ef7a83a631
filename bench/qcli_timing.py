"""qcli from the shell: start-up (``--help``, ``service get``) and the full streamed
list, timed as processes with their peak memory (measured by a small wrapper process)."""
import json
import os
import statistics
import subprocess
import sys

SCRIPT = os.path.join(os.path.dirname(sys.executable), "qcli")
#: The installed console script, or the module when the package is not installed.
QCLI = [SCRIPT] if os.path.exists(SCRIPT) else [sys.executable, "-m", "qairon_qcli"]


#: Runs qcli and reports its time and peak RSS. A small parent is needed: a child
#: forked straight from the benchmark would count the benchmark's memory as its own.
WRAPPER = """
import json, resource, subprocess, sys, time
started = time.perf_counter()
code = subprocess.call(sys.argv[1:])
elapsed = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps([code, elapsed, peak]), file=sys.stderr)
"""


def run(argv, endpoint):
    """Run qcli once; return (seconds, peak RSS in MiB, stdout line count)."""
    env = dict(os.environ, QAIRON_ENDPOINT=endpoint)
    process = subprocess.Popen([sys.executable, "-c", WRAPPER, *QCLI, *argv],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    lines = sum(1 for _ in process.stdout)
    report = process.stderr.read().decode().strip().splitlines()
    process.wait()
    code, elapsed, peak = json.loads(report[-1])
    if code != 0:
        raise RuntimeError(f"qcli {' '.join(argv)} exited {code}")
    return elapsed, peak / 1024, lines


def timed(argv, endpoint, repeat):
    """Median and p95 seconds (as ms), peak RSS and lines over ``repeat`` runs."""
    results = [run(argv, endpoint) for _ in range(repeat)]
    times = sorted(r[0] for r in results)
    return {"p50_ms": statistics.median(times) * 1000,
            "p95_ms": times[min(len(times) - 1, round(.95 * (len(times) - 1)))] * 1000,
            "rps": len(times) / sum(times), "n": repeat, "errors": 0, "driver": "process",
            "rss_mib": max(r[1] for r in results), "lines": results[-1][2]}
