"""Qairon: a single source of truth for infrastructure and operations.

Importing the package loads no framework: :mod:`qairon.core` stays pure, and
:func:`create_app` (the Flask application factory, in :mod:`qairon.app`) is
imported when it is called.
"""
from qairon.version import __version__  # noqa: F401


def create_app(test_config=None):
    """Build the Flask application (see :func:`qairon.app.create_app`)."""
    from qairon.app import create_app as factory
    return factory(test_config)
