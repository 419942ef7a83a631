"""Counting the SQL statements a request sends (the zero-N+1 tests use it)."""
from sqlalchemy import event

from qairon.extensions import db


class QueryCounter:
    """Counts the SQL statements sent while it is active."""

    def __init__(self):
        self.count = 0

    def __call__(self, *_args):
        self.count += 1

    def __enter__(self):
        event.listen(db.engine, "before_cursor_execute", self)
        return self

    def __exit__(self, *_exc):
        event.remove(db.engine, "before_cursor_execute", self)
