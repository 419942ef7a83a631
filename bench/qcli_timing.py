"""qcli from the shell: start-up (``--help``, ``service get``) and the full streamed
list, timed as processes with their peak memory (``wait4`` rusage of each child)."""
import os
import statistics
import subprocess
import sys
import time

SCRIPT = os.path.join(os.path.dirname(sys.executable), "qcli")
#: The installed console script, or the module when the package is not installed.
QCLI = [SCRIPT] if os.path.exists(SCRIPT) else [sys.executable, "-m", "qairon_qcli"]


def run(argv, endpoint):
    """Run qcli once; return (seconds, peak RSS in MiB, stdout line count)."""
    env = dict(os.environ, QAIRON_ENDPOINT=endpoint)
    started = time.perf_counter()
    process = subprocess.Popen([*QCLI, *argv], stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, env=env)
    lines = sum(1 for _ in process.stdout)
    _pid, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"qcli {' '.join(argv)} exited {process.returncode}")
    return elapsed, usage.ru_maxrss / 1024, lines


def timed(argv, endpoint, repeat):
    """Median and p95 seconds (as ms), peak RSS and lines over ``repeat`` runs."""
    results = [run(argv, endpoint) for _ in range(repeat)]
    times = sorted(r[0] for r in results)
    return {"p50_ms": statistics.median(times) * 1000,
            "p95_ms": times[min(len(times) - 1, round(.95 * (len(times) - 1)))] * 1000,
            "rps": len(times) / sum(times), "n": repeat, "errors": 0, "driver": "process",
            "rss_mib": max(r[1] for r in results), "lines": results[-1][2]}
