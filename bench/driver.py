"""Load drivers on loopback: one keep-alive client, and 16 concurrent connections.

One client is a plain :mod:`http.client` connection, reused while the server
keeps it open. Concurrency uses ``wrk`` when it is installed (a C driver that
leaves the two cores to the server) with a Lua script that replays a request
file, and falls back to threads with one :mod:`http.client` connection each.
"""
import http.client
import json
import os
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
from urllib.parse import urlsplit

HERE = os.path.dirname(os.path.abspath(__file__))
SQL_HEADER = "Qairon-SQL-Count"


class Request:
    """One HTTP request: method, path (already quoted), optional JSON body and token."""

    __slots__ = ("method", "path", "body", "token")

    def __init__(self, method, path, body=None, token=None):
        self.method, self.path = method, path
        self.body = None if body is None else json.dumps(body)
        self.token = token

    def headers(self):
        """The request's headers."""
        headers = {"Accept": "application/json"}
        if self.body is not None:
            headers["Content-Type"] = "application/json"
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        return headers


class Client:
    """A keep-alive HTTP/1.1 connection to one server, reopened when the server closes it."""

    def __init__(self, url):
        parts = urlsplit(url)
        self.host, self.port = parts.hostname, parts.port
        self.connection = None

    def send(self, request):
        """Send ``request``; return (status, headers, body bytes)."""
        if self.connection is None:
            self.connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        headers = request.headers()
        try:
            self.connection.request(request.method, request.path, request.body, headers)
            response = self.connection.getresponse()
        except (http.client.HTTPException, ConnectionError):
            self.connection.close()
            self.connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
            self.connection.request(request.method, request.path, request.body, headers)
            response = self.connection.getresponse()
        body = response.read()
        if response.getheader("Connection", "").lower() == "close":
            self.connection.close()
            self.connection = None
        return response.status, response, body

    def close(self):
        """Close the connection."""
        if self.connection is not None:
            self.connection.close()


def percentile(samples, fraction):
    """The ``fraction`` percentile (nearest rank) of a list of numbers."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def summary(seconds, errors=0, wall=None, driver="python"):
    """p50/p95 in ms and req/s of per-request durations (``wall`` for concurrent runs)."""
    wall = wall if wall is not None else sum(seconds)
    return {"p50_ms": statistics.median(seconds) * 1000, "p95_ms": percentile(seconds, .95) * 1000,
            "rps": len(seconds) / wall if wall else 0.0, "n": len(seconds), "errors": errors,
            "driver": driver}


def single(url, requests, warmup=20):
    """Time each request of ``requests`` sent one after another by one client."""
    client = Client(url)
    errors = 0
    for request in requests[:warmup]:
        client.send(request)
    samples = []
    for request in requests[warmup:]:
        started = time.perf_counter()
        status, _response, _body = client.send(request)
        samples.append(time.perf_counter() - started)
        errors += status >= 400
    client.close()
    return summary(samples, errors)


def sequence(url, flows):
    """Time each flow (a list of requests) as one unit; every status must be < 400."""
    client = Client(url)
    samples, errors = [], 0
    for flow in flows:
        started = time.perf_counter()
        for request in flow:
            status, _response, body = client.send(request)
            if status >= 400:
                errors += 1
        samples.append(time.perf_counter() - started)
    client.close()
    return summary(samples, errors)


def sql_count(url, requests, warm=()):
    """Total ``Qairon-SQL-Count`` of ``requests`` on a server started with counting on,
    after sending ``warm`` (requests of the same shape) uncounted."""
    client = Client(url)
    for request in warm:
        client.send(request)
    total = 0
    for request in requests:
        status, response, body = client.send(request)
        if status >= 400:
            raise RuntimeError(f"{request.method} {request.path}: {status} {body[:300]!r}")
        total += int(response.getheader(SQL_HEADER, "-1"))
    client.close()
    return total


def concurrent(url, requests, connections=16, seconds=5.0):
    """Replay ``requests`` round-robin over ``connections`` for ``seconds``."""
    if shutil.which("wrk"):
        return _wrk(url, requests, connections, seconds)
    return _threads(url, requests, connections, seconds)


def _wrk(url, requests, connections, seconds):
    with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False) as handle:
        for request in requests:
            handle.write(f"{request.method}\t{request.path}\t{request.body or ''}\t"
                         f"{request.token or ''}\n")
    threads = min(2, connections)
    env = dict(os.environ, BENCH_REQUESTS=handle.name, BENCH_THREADS=str(threads))
    done = subprocess.run(["wrk", "-t", str(threads), "-c", str(connections),
                           "-d", f"{max(1, round(seconds))}s", "--timeout", "10s",
                           "-s", os.path.join(HERE, "replay.lua"), url],
                          env=env, capture_output=True, text=True, check=False)
    os.unlink(handle.name)
    line = [x for x in done.stdout.splitlines() if x.startswith("BENCH ")]
    if not line:
        raise RuntimeError("wrk failed: " + done.stdout[-500:] + done.stderr[-500:])
    values = json.loads(line[-1][len("BENCH "):])
    return {"p50_ms": values["p50_us"] / 1000, "p95_ms": values["p95_us"] / 1000,
            "rps": values["requests"] / (values["duration_us"] / 1e6), "n": values["requests"],
            "errors": values["errors"], "driver": "wrk"}


def _threads(url, requests, connections, seconds):
    samples, errors, lock = [], [0], threading.Lock()
    deadline = time.perf_counter() + seconds

    def worker(index):
        client, mine, position = Client(url), [], index
        while time.perf_counter() < deadline:
            request = requests[position % len(requests)]
            position += connections
            started = time.perf_counter()
            status, _response, _body = client.send(request)
            mine.append(time.perf_counter() - started)
            if status >= 400:
                with lock:
                    errors[0] += 1
        client.close()
        with lock:
            samples.extend(mine)

    started = time.perf_counter()
    workers = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    return summary(samples, errors[0], wall=time.perf_counter() - started, driver="threads")
