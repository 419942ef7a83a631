"""qcli commands for traceability, effective defaults and capacity.

Each command is one request to the server's insight endpoints (see
docs/INSIGHT.md) and a method of :class:`QCLIController` (through
:class:`InsightCommands`):

    qcli RESOURCE trace ID                  qcli RESOURCE impact ID [--depth N]
    qcli deployment neighbours ID           qcli deployment provenance ID
    qcli build_artifact lineage ID          qcli release_artifact lineage ID
    qcli RESOURCE defaults ID [--explain] [--own]
    qcli fleet capacity ID                  qcli deployment_target capacity ID
    qcli capacity report [--environment E]

``-o json`` prints the server's document; ``-o plain`` prints ``resource<TAB>id``
lines for walks, compact JSON for defaults, and tab-separated rows for
capacity; a terminal gets the same rows as an aligned table.
"""
import json

from qairon_qcli.client import InvalidInput, quote_id

WALK_ONLY = {"neighbours": ("deployment",), "provenance": ("deployment",),
             "lineage": ("build_artifact", "release_artifact"),
             "capacity": ("fleet", "deployment_target")}
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


class InsightCommands:
    """Traceability, defaults and capacity methods of :class:`QCLIController`."""

    def _insight(self, resource, resource_id, walk, params=None):
        plural = self._plural(resource)
        allowed = WALK_ONLY.get(walk)
        if allowed and resource not in allowed:
            raise InvalidInput(f"{walk} applies to {' and '.join(allowed)}, not {resource}")
        url = self.client.url(plural, quote_id(resource_id), walk)
        return self.client.request("GET", url, params=params)

    def _document(self, data, table, summary=None):
        document = getattr(self.output, "document", None)
        if document is None:
            return self.output.mapping(data)
        return document(data, table, summary)

    def _walk(self, data):
        return self._document(data, walk_rows(data), walk_summary(data))

    def trace(self, resource, resource_id):
        """What an object stands on, up to the roots (``qcli RESOURCE trace ID``)."""
        return self._walk(self._insight(resource, resource_id, "trace"))

    def impact(self, resource, resource_id, depth=None):
        """Everything that depends on an object, transitively, ``depth`` levels at most."""
        params = {"depth": str(depth)} if depth is not None else None
        return self._walk(self._insight(resource, resource_id, "impact", params))

    def neighbours(self, deployment_id, resource="deployment"):
        """The other deployments on the same target, with their services."""
        return self._walk(self._insight(resource, deployment_id, "neighbours"))

    def provenance(self, deployment_id, resource="deployment"):
        """Current release, its artifacts and repos, the build, its artifacts, the commit."""
        return self._walk(self._insight(resource, deployment_id, "provenance"))

    def lineage(self, resource, resource_id):
        """A build or release artifact back to its build and commit."""
        return self._walk(self._insight(resource, resource_id, "lineage"))

    def defaults(self, resource, resource_id, explain=False, own=False):
        """The merged defaults of an object (``own``: only its own; ``explain``: sources)."""
        if own:
            return self.output.value(self._insight(resource, resource_id, "defaults"))
        params = {"effective": "true", "explain": "true" if explain else "false"}
        data = self._insight(resource, resource_id, "defaults", params)
        if explain:
            return self._document(data, explain_rows(data))
        return self.output.value(data)

    def capacity(self, resource, resource_id):
        """Capacity, LOW and HIGH allocations and availability of a fleet or target."""
        data = self._insight(resource, resource_id, "capacity")
        return self._document(data, capacity_rows(data))

    def capacity_report(self, environment=None):
        """Every fleet (of ``environment``) with its utilisation, worst first."""
        params = {"environment": environment} if environment else None
        data = self.client.request("GET", self.client.url("capacity", "report"), params=params)
        return self._document(data, report_rows(data))


def add_insight_commands(command, id_argument, resource):
    """Add this module's commands to a resource's parser.

    ``command(name, help)`` makes a sub-command parser and ``id_argument(parser)``
    adds its ID argument (both from :func:`qairon_qcli.parser.add_resource_commands`).
    """
    def walk(name, help_text, handler):
        sub = command(name, help_text)
        id_argument(sub)
        sub.set_defaults(handler=handler)
        return sub

    walk("trace", f"what this {resource} stands on, up to the roots", _trace)
    impact = walk("impact", f"everything that depends on this {resource}", _impact)
    impact.add_argument("--depth", type=int, metavar="N", help="follow N levels at most")
    defaults = walk("defaults", "merged defaults: ancestors, type, own", _defaults)
    defaults.add_argument("--explain", action="store_true",
                          help="say which object each key comes from")
    defaults.add_argument("--own", action="store_true", help="only the object's own defaults")
    for name, handler, text in (("neighbours", _neighbours, "the other deployments on its target"),
                                ("provenance", _provenance,
                                 "release, artifacts, repos, build and commit"),
                                ("lineage", _lineage, "back to the build and commit"),
                                ("capacity", _capacity, "capacity, allocations, available")):
        if resource in WALK_ONLY[name]:
            walk(name, text, handler)
    if resource == "capacity":
        report = command("report", "every fleet with its utilisation, worst first")
        report.add_argument("--environment", metavar="ENVIRONMENT", help="only this environment")
        report.set_defaults(handler=_report)


def _trace(args, controller):
    controller.trace(args.resource, args.resource_id)


def _impact(args, controller):
    controller.impact(args.resource, args.resource_id, depth=args.depth)


def _neighbours(args, controller):
    controller.neighbours(args.resource_id)


def _provenance(args, controller):
    controller.provenance(args.resource_id)


def _lineage(args, controller):
    controller.lineage(args.resource, args.resource_id)


def _defaults(args, controller):
    controller.defaults(args.resource, args.resource_id, explain=args.explain, own=args.own)


def _capacity(args, controller):
    controller.capacity(args.resource, args.resource_id)


def _report(args, controller):
    controller.capacity_report(environment=args.environment)
