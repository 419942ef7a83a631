"""The report of a bulk import, kept small whatever the input.

Counts per resource and outcome, and the bad rows: at most ``max_errors`` of
them are listed (those with the lowest indexes), the others only counted;
quoted values are clipped; a row the database itself refused is described in
our words, never the database's (its text goes to the log).
"""
import heapq
import json
import logging

from sqlalchemy.exc import IntegrityError

from qairon.core.errors import BadRequest, Conflict
from qairon.core.text import clip

OUTCOMES = ("created", "unchanged", "updated")
#: What an import that was not committed reports instead of ``created`` and ``updated``.
PENDING = {"created": "would_create", "updated": "would_update"}
#: Longest value (text, or compact JSON) quoted in an error entry or sentence.
VALUE_LIMIT = 200
MAX_ERRORS = 1000

log = logging.getLogger(__name__)


def shown(value):
    """A value as an error message quotes it: JSON for objects and lists, clipped."""
    if isinstance(value, (dict, list)):
        return clip(json.dumps(value, sort_keys=True), VALUE_LIMIT)
    return repr(clip(value, VALUE_LIMIT)) if isinstance(value, str) else repr(value)


def reported(value):
    """A value as an error entry carries it: itself when short, else its clipped text."""
    if isinstance(value, str):
        return clip(value, VALUE_LIMIT)
    if isinstance(value, (dict, list)):
        text = json.dumps(value, sort_keys=True)
        return value if len(text) <= VALUE_LIMIT else clip(text, VALUE_LIMIT)
    return value


def error_entry(index, resource, raw, error, object_id=None):
    """One reported bad row: where it is, which field and value, and the rule broken."""
    field = error.field
    value = raw.get(field) if isinstance(raw, dict) and isinstance(field, str) else None
    return {"index": index, "resource": clip(resource, VALUE_LIMIT), "id": object_id,
            "field": field, "value": reported(value), "kind": error.kind,
            "detail": error.detail}


def database_error(exc):
    """A :class:`~qairon.core.errors.QaironError` in our words for a row the database refused.

    The rules catch what they can before; what is left is a row that collides
    with one written meanwhile, or a value the database cannot hold.
    """
    log.info("bulk row refused by the database: %s",
             str(getattr(exc, "orig", exc)).strip().splitlines()[:1])
    if isinstance(exc, IntegrityError):
        return Conflict("the row conflicts with data written meanwhile (a duplicate ID, or a "
                        "reference that was deleted); import it again")
    return BadRequest("a value of this row cannot be stored (a number out of range, or text "
                      "the database cannot hold)")


def outcomes(counts, committed):
    """Counts as reported: what was written, or (not committed) what would have been."""
    if committed:
        return dict(counts)
    out = {}
    for key, value in counts.items():
        if key in PENDING:
            out[key] = 0
            out[PENDING[key]] = value
        else:
            out[key] = value
    return out


class Report:
    """Rows seen, outcomes per resource, and the bad rows within ``max_errors``."""

    def __init__(self, max_errors=MAX_ERRORS):
        self.max_errors = max_errors
        self.rows = 0
        self.counts = {}
        self.error_count = 0
        self._errors = []       # a heap of (-index, n, entry): the lowest indexes are kept

    def count(self, resource, outcome, n=1):
        """Add ``n`` rows of ``resource`` to ``outcome`` (``created``, ``errors``, ...)."""
        counts = self.counts.setdefault(resource, dict.fromkeys(OUTCOMES + ("errors",), 0))
        counts[outcome] += n

    def fail(self, index, resource, raw, error, object_id=None):
        """Record a bad row; it is listed if it is among the ``max_errors`` first."""
        self.error_count += 1
        self.count(resource, "errors")
        item = (-index, self.error_count, error_entry(index, resource, raw, error, object_id))
        if len(self._errors) < self.max_errors:
            heapq.heappush(self._errors, item)
        else:
            heapq.heappushpop(self._errors, item)

    def as_dict(self, dry_run, committed):
        """The summary: totals, per-resource counts and the listed errors.

        ``created`` and ``updated`` count what was written; an import that was
        not committed reports them as ``would_create`` and ``would_update`` (and
        ``created``/``updated`` 0). ``error_count`` is the true total;
        ``errors_omitted`` how many bad rows are not listed.
        """
        resources = {name: outcomes(counts, committed) for name, counts in self.counts.items()}
        totals = {key: sum(c[key] for c in resources.values())
                  for key in outcomes(dict.fromkeys(OUTCOMES, 0), committed)}
        listed = [entry for _key, _n, entry in sorted(self._errors, key=lambda i: (-i[0], i[1]))]
        return {"dry_run": dry_run, "committed": committed, "rows": self.rows, **totals,
                "error_count": self.error_count,
                "errors_omitted": self.error_count - len(listed),
                "resources": resources, "errors": listed}
