"""The Prometheus metrics of one server process, and their exposition.

The metrics are created once per process (:func:`metrics`) and registered in
no global registry: ``/metrics`` builds its answer from a fresh registry each
scrape. Under gunicorn the master sets ``PROMETHEUS_MULTIPROC_DIR``
(``gunicorn.conf.py``): every worker then writes its values to files there and
the scrape, whichever worker answers it, sums them (``multiprocess`` mode);
gauges of the database pool are kept per live worker and summed. Without the
variable (``flask run``, the tests) the values live in this process.

Every name is listed in :data:`NAMES`; ``docs/OPERATIONS.md``, its alerts and
its dashboard use only these (a test checks it).
"""
import os
import threading

PREFIX = "qairon_"
#: Upper bounds (seconds) of the request latency histogram.
LATENCY_BUCKETS = (0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

#: name -> (kind, help, labels, extra keyword arguments)
DECLARED = {
    "http_requests_total": ("counter", "HTTP requests answered",
                            ("route", "method", "status"), {}),
    "http_request_duration_seconds": ("histogram", "time to answer an HTTP request",
                                      ("route", "method", "status"),
                                      {"buckets": LATENCY_BUCKETS}),
    "http_requests_in_flight": ("gauge", "HTTP requests being answered", (),
                                {"multiprocess_mode": "livesum"}),
    "db_pool_checked_out": ("gauge", "database connections in use (checked out of the pool)",
                            ("database",), {"multiprocess_mode": "livesum"}),
    "db_pool_overflow": ("gauge", "database connections open beyond the pool size",
                         ("database",), {"multiprocess_mode": "livesum"}),
    "writes_total": ("counter", "committed row writes", ("resource", "operation"), {}),
    "allocations_total": ("counter", "subnet allocations by outcome",
                          ("resource", "outcome"), {}),
    "import_rows_total": ("counter", "rows received by bulk and CSV imports", (), {}),
    "import_refusals_total": ("counter", "import rows refused (each with its reason)", (), {}),
    "objects": ("gauge", "objects per resource (counted at most every "
                         "METRICS_OBJECTS_SECONDS)", ("resource",),
                {"multiprocess_mode": "mostrecent"}),
    "replica_in_rotation": ("gauge", "1 while a read replica serves reads, 0 when taken out",
                            ("replica",), {"multiprocess_mode": "livemin"}),
    "replica_reads_total": ("counter", "GET requests by the database that served them",
                            ("database",), {}),
}
#: Every metric name as Prometheus shows it.
NAMES = tuple(PREFIX + name for name in DECLARED)

_lock = threading.Lock()
_metrics = {}


def multiprocess_dir():
    """The shared folder of multi-process mode, or None in a single process."""
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


def metrics():
    """``{short name: metric}`` of this process, created on first use."""
    if not _metrics:
        import prometheus_client
        kinds = {"counter": prometheus_client.Counter, "gauge": prometheus_client.Gauge,
                 "histogram": prometheus_client.Histogram}
        with _lock:
            if not _metrics:
                built = {}
                for name, (kind, text, labels, extra) in DECLARED.items():
                    if kind != "gauge":
                        extra = {k: v for k, v in extra.items() if k != "multiprocess_mode"}
                    built[name] = kinds[kind](PREFIX + name, text, labels, registry=None,
                                              **extra)
                _metrics.update(built)
    return _metrics


def exposition():
    """``(body, content type)`` of a scrape: every worker's values in multi-process mode."""
    from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
    registry = CollectorRegistry(auto_describe=True)
    if multiprocess_dir():
        from prometheus_client import multiprocess
        multiprocess.MultiProcessCollector(registry)
    else:
        for metric in metrics().values():
            registry.register(metric)
    return generate_latest(registry), CONTENT_TYPE_LATEST
