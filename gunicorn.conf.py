"""Production serving: ``make serve`` (gunicorn -c gunicorn.conf.py 'qairon:create_app()').

One worker process per CPU, each with a few threads (``gthread``), so that HTTP
keep-alive connections are held open between requests instead of being closed
and drained after each one (the ``sync`` worker's way). The work per request
is CPU-bound Python plus short PostgreSQL round trips: more processes than
cores only adds context switches (measured by ``make bench`` on 2 cores:
5 sync workers served ~860 GETs/s, 2 served ~1,700). ``QAIRON_WORKERS``,
``QAIRON_THREADS`` and ``QAIRON_WORKER_CLASS`` override the choice.
"""
import multiprocessing
import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '5000')}"
workers = int(os.environ.get("QAIRON_WORKERS", multiprocessing.cpu_count()))
threads = int(os.environ.get("QAIRON_THREADS", 2))
worker_class = os.environ.get("QAIRON_WORKER_CLASS", "gthread")
worker_connections = 1000
keepalive = 75
timeout = 30
graceful_timeout = 20
accesslog = os.environ.get("QAIRON_ACCESS_LOG") or None
errorlog = "-"

# --- metrics of every worker (prometheus_client's multi-process mode) -----------------
# The workers write their values under PROMETHEUS_MULTIPROC_DIR and a scrape of /metrics,
# whichever worker answers it, adds them up. The variable must be set before a worker
# imports prometheus_client: it is set here, in the master, and inherited by every fork.
# A folder given by the operator is emptied at start; one made here is removed at exit.
_metrics_dir = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
_metrics_dir_made = not _metrics_dir
if _metrics_dir_made:
    import tempfile
    _metrics_dir = os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(
        prefix="qairon-metrics-")


def on_starting(server):
    """Empty the metrics folder before the first worker starts (values of a former run)."""
    os.makedirs(_metrics_dir, exist_ok=True)
    for name in os.listdir(_metrics_dir):
        if name.endswith(".db"):
            os.unlink(os.path.join(_metrics_dir, name))


def post_worker_init(worker):
    """Answer /ready with 503 from the moment the worker is told to stop (it drains)."""
    import signal

    from qairon.ops import draining
    stop = signal.getsignal(signal.SIGTERM)

    def drain(signum, frame):
        draining.begin()
        if callable(stop):
            stop(signum, frame)

    signal.signal(signal.SIGTERM, drain)


def child_exit(server, worker):
    """Drop the live gauges (requests in flight, pool) of a worker that exited."""
    from prometheus_client import multiprocess
    multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    """Remove the metrics folder this file made."""
    if _metrics_dir_made:
        import shutil
        shutil.rmtree(_metrics_dir, ignore_errors=True)
