"""Production serving: ``make serve`` (gunicorn -c gunicorn.conf.py 'qairon:create_app()')."""
import multiprocessing
import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '5000')}"
workers = int(os.environ.get("QAIRON_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("QAIRON_THREADS", 1))
keepalive = 5
timeout = 30
graceful_timeout = 20
accesslog = os.environ.get("QAIRON_ACCESS_LOG") or None
errorlog = "-"
