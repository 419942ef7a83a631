"""Reading CSV files for import: pure functions over text, no server.

A file is UTF-8 CSV (a BOM is accepted) whose header names fields as
``qcli <resource> create`` does: the positional create fields and the
options (``defaults`` as JSON text, ``native_id``, ``tag``, ``url``...).
Empty cells mean "not given". Cells are converted to the JSON type the schema
declares. Problems carry the file name and the line the record starts on.
"""
import csv

from qairon_qcli.client import InvalidInput
from qairon_qcli.values import coerce


class CsvFormatError(InvalidInput):
    """The file cannot be read as CSV (unbalanced quote, bad header, not UTF-8)."""

    def __init__(self, filename, line, message):
        super().__init__(f"{filename}:{line}: {message}")
        self.filename, self.line, self.detail = filename, line, message


class Problem:
    """One bad row: where, which column and value, and the rule it breaks."""

    __slots__ = ("filename", "line", "column", "value", "detail")

    def __init__(self, filename, line, column, value, detail):
        self.filename, self.line, self.column = filename, line, column
        self.value, self.detail = value, detail

    def __str__(self):
        where = f"{self.filename}:{self.line}: "
        if self.column and self.column not in self.detail:
            shown = self.value if isinstance(self.value, str) else str(self.value)
            return f"{where}{self.column} {shown!r} {self.detail}"
        return where + self.detail

    def as_dict(self):
        """The problem as a JSON object."""
        return {"file": self.filename, "line": self.line, "column": self.column,
                "value": self.value, "detail": self.detail}


def allowed_columns(entry):
    """The column names a resource's file may have: create fields, then options."""
    return list(entry.get("create", [])) + [o for o in entry.get("options", {})
                                             if o not in entry.get("create", [])]


def check_header(header, resource, entry, filename):
    """Refuse unknown, repeated, empty or missing required columns; return the header."""
    names = [name.strip() for name in header]
    allowed = allowed_columns(entry)
    unknown = [n for n in names if n not in allowed]
    if unknown:
        raise CsvFormatError(filename, 1, f"unknown column{'s' * (len(unknown) > 1)} "
                             f"{', '.join(repr(n) for n in unknown)} for {resource}; "
                             f"the columns are {', '.join(allowed)}")
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise CsvFormatError(filename, 1, f"column {', '.join(map(repr, repeated))} "
                             f"appears twice in the header")
    missing = [n for n in entry.get("create", []) if n not in names]
    if missing:
        raise CsvFormatError(filename, 1, f"missing column{'s' * (len(missing) > 1)} "
                             f"{', '.join(missing)} (every {resource} needs "
                             f"{', '.join(entry.get('create', []))})")
    return names


def records(stream, filename):
    """``(line, cells)`` for every record after the header; the first item is the header.

    ``line`` is where the record starts (a quoted cell may span lines). Broken
    quoting raises :class:`CsvFormatError` naming that line.
    """
    reader = csv.reader(stream, strict=True)
    start = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            reason = str(exc)
            if "end of data" in reason or "unexpected end" in reason:
                reason = "unbalanced quote: a quoted cell opened here is never closed"
            raise CsvFormatError(filename, start, f"malformed CSV: {reason}") from None
        except UnicodeDecodeError as exc:
            raise CsvFormatError(filename, start, f"not UTF-8 text: {exc.reason}") from None
        line, start = start, reader.line_num + 1
        if cells:
            yield line, cells


def convert(line, cells, header, resource, entry, filename):
    """The fields of one record, or a list of :class:`Problem` for it.

    Empty cells are left out; values are converted to the schema's types
    (``defaults`` from JSON text to an object, numbers, booleans).
    """
    if len(cells) != len(header):
        return [Problem(filename, line, None, None,
                        f"{len(cells)} cells, but the header has {len(header)} columns "
                        f"(quote cells that contain commas)")]
    types = entry.get("fields", {})
    options = entry.get("options", {})
    fields, problems = {}, []
    for name, cell in zip(header, cells, strict=True):
        if cell == "":
            continue
        kind = types.get(name) or options.get(name, {}).get("type")
        try:
            fields[name] = coerce(cell, kind, name)
        except InvalidInput as exc:
            problems.append(Problem(filename, line, name, cell, str(exc)))
            continue
        if kind == "json" and name == "defaults" and not isinstance(fields[name], dict):
            problems.append(Problem(filename, line, name, cell,
                                    "defaults must be a JSON object such as {\"key\": 1}"))
    return problems or fields


def read_file(stream, resource, entry, filename):
    """Yield ``(line, fields or problems)`` for every record of an open CSV file."""
    rows = records(stream, filename)
    first = next(rows, None)
    if first is None:
        raise CsvFormatError(filename, 1, "the file is empty; it needs a header row")
    header = check_header(first[1], resource, entry, filename)
    for line, cells in rows:
        yield line, convert(line, cells, header, resource, entry, filename)
