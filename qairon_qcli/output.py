"""Output formats of qcli: ``json``, ``plain`` and the terminal ``table``.

The contract shell users depend on:

* ``json``: one JSON document; lists (list, query, to-many get_field) are arrays
  even for zero or one element and are written element by element; key order
  is the server's, which is stable.
* ``plain``: lists print one ID per line; a scalar prints bare; a JSON value
  (``defaults``) prints as compact JSON text; ``-f FIELD`` selects fields,
  tab-separated.
* ``table``: what a person sees on a terminal; aligned columns, a page at a time.
"""
import json
from itertools import islice

FORMATS = ("json", "plain", "table")
TABLE_CHUNK = 100
_NOISE = ("resource", "defaults", "created_at", "last_updated_at", "current_release")


def compact(value):
    """Compact JSON text of ``value``."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def pretty(value):
    """Indented JSON text of ``value``."""
    return json.dumps(value, indent=2, ensure_ascii=False)


def plain_text(value):
    """The plain rendering of one value: bare scalar, compact JSON for containers."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return compact(value)
    return str(value)


def cell(value):
    """A value fit for a tab-separated or table cell (no tabs or newlines)."""
    return plain_text(value).replace("\t", " ").replace("\n", " ")


def select(obj, fields):
    """The values of ``fields`` in ``obj``; dotted names walk nested objects."""
    out = []
    for name in fields:
        value = obj
        for part in name.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        out.append(value)
    return out


class Output:
    """Writes results to ``stream`` in one of :data:`FORMATS`."""

    def __init__(self, stream, fmt="plain", fields=None):
        if fmt not in FORMATS:
            raise ValueError(f"unknown output format {fmt!r}")
        self.stream = stream
        self.format = fmt
        self.fields = list(fields or [])

    def _line(self, text=""):
        self.stream.write(text + "\n")

    def value(self, value):
        """A single value: a scalar field, a JSON field, or a whole document."""
        if self.format == "json":
            self._line(pretty(value))
        elif isinstance(value, dict) and self.format == "table":
            self._table_object(value)
        elif value is not None:
            self._line(plain_text(value))

    def object(self, obj):
        """One object (``get``)."""
        if obj is None:
            self.value(None)
        elif self.format == "json":
            self._line(pretty(self._project(obj)))
        elif self.fields:
            self._line("\t".join(cell(v) for v in select(obj, self.fields)))
        elif self.format == "table":
            self._table_object(obj)
        else:
            for key, val in obj.items():
                self._line(f"{key}\t{cell(val)}")

    def reference(self, obj):
        """A to-one relation: its ID on plain, the object on json/table."""
        if obj is None or self.format != "plain" or self.fields:
            self.object(obj)
        else:
            self._line(cell(obj.get("id")))

    def written(self, obj):
        """The result of a write (create, set_field, assign): the ID, or the object."""
        if self.format == "json" or self.fields:
            self.object(obj)
        else:
            self._line(cell(obj.get("id") if isinstance(obj, dict) else obj))

    def objects(self, iterable):
        """A list of objects, written as it is iterated (memory stays flat)."""
        if self.format == "json":
            self._json_array(map(self._project, iterable))
        elif self.format == "table":
            self._table(iterable)
        else:
            for obj in iterable:
                if self.fields:
                    self._line("\t".join(cell(v) for v in select(obj, self.fields)))
                else:
                    self._line(cell(obj.get("id")))

    def mapping(self, data):
        """A free-form document (delete counts, free blocks): ``key<TAB>value`` lines."""
        if self.format == "json":
            self._line(pretty(data))
        elif self.format == "table" and isinstance(data, dict):
            self._table_object(data)
        elif isinstance(data, dict):
            for key, val in data.items():
                if isinstance(val, dict) and key == "deleted":
                    for sub, count in val.items():
                        self._line(f"{sub}\t{cell(count)}")
                else:
                    self._line(f"{key}\t{cell(val)}")
        else:
            self.value(data)

    def _project(self, obj):
        """With ``-f``, keep only the selected fields (json output)."""
        if not self.fields or not isinstance(obj, dict):
            return obj
        return dict(zip(self.fields, select(obj, self.fields), strict=True))

    def _json_array(self, iterable):
        iterator = iter(iterable)
        missing = object()
        obj = next(iterator, missing)  # fetch before writing: an error leaves no output
        if obj is missing:
            self._line("[]")
            return
        self.stream.write("[\n  " + pretty(obj).replace("\n", "\n  "))
        for obj in iterator:
            self.stream.write(",\n  " + pretty(obj).replace("\n", "\n  "))
        self._line("\n]")

    def _table_object(self, obj):
        width = max((len(str(k)) for k in obj), default=0)
        for key, val in obj.items():
            self._line(f"{str(key).ljust(width)}  {cell(val)}")

    def _table(self, iterable):
        iterator = iter(iterable)
        columns = list(self.fields)
        header_done = False
        while True:
            rows = list(islice(iterator, TABLE_CHUNK))
            if not rows:
                break
            if not columns:
                columns = default_columns(rows[0])
            cells = [[cell(v) for v in select(row, columns)] for row in rows]
            header = [c.upper() for c in columns]
            widths = [max(len(x) for x in col) for col in zip(header, *cells, strict=True)]
            if not header_done:
                self._line(_aligned(header, widths))
                header_done = True
            for row in cells:
                self._line(_aligned(row, widths))


def default_columns(row):
    """Table columns for a list: the ID and scalar fields that are not parts of it."""
    ident = str(row.get("id", ""))
    columns = ["id"]
    for key, val in row.items():
        if key == "id" or key in _NOISE or isinstance(val, (dict, list)):
            continue
        if val is not None and str(val) and str(val) in ident:
            continue
        columns.append(key)
    return columns


def _aligned(values, widths):
    return "  ".join(v.ljust(w) for v, w in zip(values, widths, strict=True)).rstrip()
