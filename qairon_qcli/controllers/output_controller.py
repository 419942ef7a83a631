"""Output controllers under the names the older (upstream) Qairon's scripts import.

Each has the ``handle(data, q=..., output_format=..., output_fields=...)`` those
scripts call, and the methods :class:`~qairon_qcli.controllers.QCLIController`
calls, so either may drive it. A row is flattened first (:func:`simplify_row`):
a JSON:API resource object becomes ``{id, <attributes>, <relation>_id}``; an
object of our plain face is flat already.
"""
import itertools
import json
from abc import ABC, abstractmethod
from collections.abc import Iterable


class SerializableGenerator(list):
    """A list wrapping an iterator, so that ``json.dumps`` writes it as it streams."""

    def __init__(self, iterable):
        super().__init__()
        body = iter(iterable)
        try:
            self._head = [next(body)]
            self.append(body)
        except StopIteration:
            self._head = []

    def __iter__(self):
        return itertools.chain(self._head, *self[:1])

    def __len__(self):
        return len(self._head)


def simplify_row(row, output_fields=None, **_kw):
    """One row flattened: attributes and to-one ``<relation>_id`` beside ``id``; only
    ``output_fields`` when given."""
    if isinstance(row, dict) and isinstance(row.get("attributes"), dict):
        flat = {"id": row.get("id"), **row["attributes"]}
        for name, link in (row.get("relationships") or {}).items():
            if isinstance(link, dict) and isinstance(link.get("data"), dict):
                flat[f"{name}_id"] = link["data"].get("id")
        row = flat
    if output_fields is None or not isinstance(row, dict):
        return row
    return {key: row.get(key) for key in output_fields}


def simplify_rows(batches, **kw):
    """Rows flattened, from one row, a list of rows or pages (lists) of rows, lazily."""
    if isinstance(batches, dict):
        yield simplify_row(batches, **kw)
        return
    for batch in batches:
        for row in (batch if isinstance(batch, list) else [batch]):
            yield simplify_row(row, **kw)


def plain_line(row):
    """A row as ``-o plain`` shows it: its values joined by spaces."""
    values = row.values() if isinstance(row, dict) else [row]
    return " ".join(str(value) for value in values)


class AbstractOutputController(ABC):
    """The base: :meth:`handle` flattens, then :meth:`_output_` unless ``q``; a subclass says
    where the output goes by defining :meth:`_output_`."""

    output_format = "json"
    fields = None

    def handle(self, data, **kw):
        """Flatten ``data`` (one row or many) and output it, unless ``q`` is true."""
        if kw.get("q"):
            return None
        kw.setdefault("output_format", self.output_format)
        kw.setdefault("output_fields", self.fields)
        if isinstance(data, dict):
            return self._output_(simplify_row(data, **kw), **kw)
        if isinstance(data, Iterable) and not isinstance(data, str):
            return self._output_(simplify_rows(data, **kw), **kw)
        return self._output_(data, **kw)

    @abstractmethod
    def _output_(self, data, **kw):
        """Send the flattened ``data`` where this controller writes (a subclass defines it)."""

    # the calls QCLIController makes
    def object(self, obj):
        """One object."""
        return self.handle(obj)

    def objects(self, iterable):
        """Many objects."""
        return self.handle(iter(iterable))

    def value(self, value):
        """A field value."""
        return self._output_(value, output_format=self.output_format)

    reference = object
    written = object
    mapping = object

    def document(self, data, table, summary=None):
        """A walk or report, as its JSON document."""
        return self._output_(data, output_format="json")


class StringIOOutputController(AbstractOutputController):
    """The JSON the CLI prints, into a text stream; plain: every value, no newline between rows."""

    def __init__(self, stream):
        self.stream = stream

    def _output_(self, data, **kw):
        if kw.get("output_format") == "plain":
            rows = [data] if isinstance(data, dict) or not isinstance(data, Iterable) else data
            for row in rows:
                self.stream.write(plain_line(row))
        else:
            rows = data if isinstance(data, (dict, str, int, float)) or data is None \
                else list(data)
            json.dump(rows[0] if isinstance(rows, list) and len(rows) == 1 else rows,
                      self.stream)


class IterableOutputController(AbstractOutputController):
    """Appends one JSON text (or plain line) per row to a list."""

    def __init__(self, iterable):
        self.iterable = iterable

    def _output_(self, data, **kw):
        rows = [data] if isinstance(data, dict) or not isinstance(data, Iterable) else data
        for row in rows:
            self.iterable.append(plain_line(row) if kw.get("output_format") == "plain"
                                 else json.dumps(row))

    def read_as_json(self):
        """The rows parsed, then the list emptied."""
        for row in list(self.iterable):
            yield json.loads(row)
        self.iterable.clear()
