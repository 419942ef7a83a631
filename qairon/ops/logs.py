"""The request log: one line per request, JSON for machines, plain text in a terminal.

A line holds what ties a request to its effects and nothing it carried: the
method, the route template (``/api/<plural>/<path:object_id>``, never the
path or the query), the status, the duration, the number of SQL statements,
the request ID, the actor's name and the changeset it committed. Headers,
tokens and bodies are never written.

``QAIRON_LOG_FORMAT``: ``json``, ``text`` or ``auto`` (text when standard
error is a terminal, else JSON). ``QAIRON_REQUEST_LOG=off`` writes no lines.
"""
import json
import logging
import sys
from datetime import datetime, timezone

LOGGER = "qairon.requests"
FORMATS = ("auto", "json", "text")
FIELDS = ("method", "route", "status", "duration_ms", "sql", "request_id", "actor",
          "changeset")


class JsonLines(logging.Formatter):
    """A record as one JSON object: its time, level, message and request fields."""

    def format(self, record):
        """One line of JSON."""
        line = {"time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(
            timespec="milliseconds"), "level": record.levelname.lower(),
            "event": record.getMessage()}
        line.update(getattr(record, "request", {}))
        return json.dumps(line, separators=(",", ":"), default=str)


class PlainText(logging.Formatter):
    """A record as a short sentence a person reads in a terminal."""

    def format(self, record):
        """``HH:MM:SS GET /api/<plural> 200 3.1 ms 2 SQL anonymous id=... changeset=...``."""
        fields = getattr(record, "request", None)
        when = datetime.fromtimestamp(record.created).strftime("%H:%M:%S")
        if not fields:
            return f"{when} {record.levelname.lower()} {record.getMessage()}"
        changeset = f" changeset={fields['changeset']}" if fields.get("changeset") else ""
        return (f"{when} {fields['method']} {fields['route']} {fields['status']} "
                f"{fields['duration_ms']:.1f} ms {fields['sql']} SQL {fields['actor']} "
                f"id={fields['request_id']}{changeset}")


def formatter_for(name, stream):
    """The formatter of ``QAIRON_LOG_FORMAT`` ``name`` writing to ``stream``."""
    name = str(name or "auto").strip().lower()
    if name not in FORMATS:
        raise ValueError(f"QAIRON_LOG_FORMAT={name!r} must be one of {', '.join(FORMATS)}")
    if name == "auto":
        name = "text" if getattr(stream, "isatty", lambda: False)() else "json"
    return PlainText() if name == "text" else JsonLines()


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is at the time (tests swap it)."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value):
        pass


def init_app(app):
    """Set up the request logger: its one handler on standard error and its format."""
    logger = logging.getLogger(LOGGER)
    logger.propagate = False
    logger.setLevel(logging.INFO)
    handler = next((h for h in logger.handlers if isinstance(h, _StderrHandler)), None)
    if handler is None:
        handler = _StderrHandler()
        logger.addHandler(handler)
    handler.setFormatter(formatter_for(app.config.get("LOG_FORMAT"), sys.stderr))
    return logger


def log_request(fields):
    """Write the line of one answered request (a record made directly: no caller lookup)."""
    logger = logging.getLogger(LOGGER)
    if logger.isEnabledFor(logging.INFO):
        logger.handle(logger.makeRecord(LOGGER, logging.INFO, __file__, 0, "request", None,
                                        None, extra={"request": fields}))
