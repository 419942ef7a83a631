"""SQL statements per request, for the benchmark: a ``Qairon-SQL-Count`` header.

Off by default. With ``QAIRON_COUNT_SQL=1`` (config ``COUNT_SQL``) a
``before_cursor_execute`` listener counts the statements each request issues
and the count is sent back as a response header. When off, nothing is
installed and a request pays nothing.
"""
from flask import Blueprint, g, has_request_context
from sqlalchemy import event
from sqlalchemy.engine import Engine

bp = Blueprint("sqlcount", __name__)
HEADER = "Qairon-SQL-Count"


def enabled(config):
    """True when the config asks for the count (``1``, ``true``, ``yes``)."""
    return str(config.get("COUNT_SQL", "")).lower() in ("1", "true", "yes")


def _count(*_args):
    if has_request_context():
        g.sql_count = g.get("sql_count", 0) + 1


def _header(response):
    response.headers[HEADER] = str(g.get("sql_count", 0))
    return response


@bp.record_once
def _install(state):
    if not enabled(state.app.config):
        return
    if not event.contains(Engine, "before_cursor_execute", _count):
        event.listen(Engine, "before_cursor_execute", _count)
    state.app.after_request(_header)
