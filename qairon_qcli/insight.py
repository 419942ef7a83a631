"""How qcli shows the documents that actions answer: walks, explained defaults, capacity.

The actions themselves (``qcli RESOURCE trace ID``, ``qcli fleet capacity ID``,
``qcli capacity report``, ...) are generated from the schema by
:mod:`qairon_qcli.actions`; each declares what it ``prints``, and this module
turns a document into rows: ``-o json`` prints the server's document; ``-o
plain`` prints ``resource<TAB>id`` lines for walks and tab-separated rows for
capacity; a terminal gets the same rows as an aligned table.
"""
import json

CAPACITY_HEADER = ("TYPE", "CAPACITY", "LOW", "HIGH", "AVAILABLE")
REPORT_HEADER = ("FLEET", "TYPE", "CAPACITY", "LOW", "HIGH", "AVAILABLE", "UTILISATION")


def number(value):
    """A number as short text: ``100`` for 100.0, ``0.55`` stays, None is empty."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def walk_rows(doc):
    """``(header, rows)`` of a walk: one ``resource, id`` row per reached object."""
    return ("RESOURCE", "ID"), [(n["resource"], n["id"]) for n in doc.get("nodes", [])]


def walk_summary(doc):
    """``3 deployment, 1 service (4 objects)`` from a walk's counts."""
    counts = ", ".join(f"{n} {name}" for name, n in doc.get("counts", {}).items())
    return f"{counts or 'nothing'} ({doc.get('total', 0)} objects)"


def explain_rows(doc):
    """``(header, rows)`` of explained defaults: key, resource, id, value as JSON."""
    return ("KEY", "RESOURCE", "ID", "VALUE"), [
        (e["key"], e["resource"], e["id"], json.dumps(e["value"], separators=(",", ":")))
        for e in doc.get("explain", [])]


def capacity_rows(doc):
    """``(header, rows)`` of a fleet's or target's capacity, one row per allocation type."""
    return CAPACITY_HEADER, [(t["allocation_type_id"], number(t["capacity"]), number(t["low"]),
                              number(t["high"]), number(t["available"]))
                             for t in doc.get("types", [])]


def report_rows(doc):
    """``(header, rows)`` of the capacity report: one row per fleet and type, worst first."""
    rows = []
    for fleet in doc.get("fleets", []):
        if not fleet["types"]:
            rows.append((fleet["id"], "", "", "", "", "", ""))
        for t in fleet["types"]:
            rows.append((fleet["id"], t["allocation_type_id"], number(t["capacity"]),
                         number(t["low"]), number(t["high"]), number(t["available"]),
                         number(t["utilisation"])))
    return REPORT_HEADER, rows


def render_document(stream, fmt, data, table, summary=None):
    """Write ``data`` as JSON, or ``table`` (``(header, rows)``) as plain or aligned rows."""
    if fmt == "json":
        stream.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        return
    header, rows = table
    clean = [[str(c).replace("\t", " ").replace("\n", " ") for c in row] for row in rows]
    if fmt != "table":
        for row in clean:
            stream.write("\t".join(row) + "\n")
        return
    widths = [max(len(x) for x in column) for column in zip(header, *clean, strict=False)]
    for row in [list(header)] + clean:
        stream.write("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=False)).rstrip()
                     + "\n")
    if summary:
        stream.write(summary + "\n")


def changes_rows(doc):
    """``(header, rows)`` of a page of changes, oldest first."""
    from qairon_qcli.history import CHANGE_HEADER, change_row
    return CHANGE_HEADER, [change_row(c) for c in reversed(doc.get("results", []))]


#: The tables of the documents an action may print (its ``prints`` in the schema).
TABLES = {
    "changes": lambda doc: (changes_rows(doc), None),
    "walk": lambda doc: (walk_rows(doc), walk_summary(doc)),
    "explain": lambda doc: (explain_rows(doc), None),
    "capacity": lambda doc: (capacity_rows(doc), None),
    "report": lambda doc: (report_rows(doc), None),
}


def present(output, prints, data):
    """Hand an action's answer to the output controller as the action declares.

    ``written``, ``mapping`` and ``value`` are the output controller's own
    methods; a document (``walk``, ``explain``, ``capacity``, ``report``) goes to
    its ``document`` method with its rows, or to ``mapping`` when it has none.
    """
    if prints not in TABLES:
        return (getattr(output, prints, None) or output.mapping)(data)
    document = getattr(output, "document", None)
    if document is None:
        return output.mapping(data)
    table, summary = TABLES[prints](data)
    return document(data, table, summary)
