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
