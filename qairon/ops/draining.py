"""Whether this worker is draining: told to stop, it finishes what it serves, takes no more.

``gunicorn.conf.py`` calls :func:`begin` when a worker receives SIGTERM;
``/ready`` then answers 503 so that a load balancer stops sending it requests.
"""
import threading

_draining = threading.Event()


def begin():
    """Note that the worker stops (for ``/ready``)."""
    _draining.set()


def active():
    """True once the worker was told to stop."""
    return _draining.is_set()


def end():
    """Serve as usual again (a test that drained an in-process app)."""
    _draining.clear()
