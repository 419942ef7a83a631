"""qcli as a Python module: every command is a method of :class:`QCLIController`.

    from qairon_qcli.controllers import QCLIController, PrintingOutputController
    qcli = QCLIController(PrintingOutputController())
    qcli.get(resource='service', resource_id='ecommerce:checkout:order-processor')

Positional CLI arguments are named parameters. The output controller decides
what happens to a result: :class:`PrintingOutputController` prints it as the
CLI would, :class:`ReturningOutputController` returns Python objects. Errors
raise the typed exceptions of :mod:`qairon_qcli.client`; nothing here exits.
"""
import functools
import sys

from qairon_qcli.actions import ActionCommands
from qairon_qcli.client import Client, InvalidInput
from qairon_qcli.controllers.output_controller import (  # noqa: F401 (the older module's names)
    AbstractOutputController,
    IterableOutputController,
    SerializableGenerator,
    StringIOOutputController,
)
from qairon_qcli.controllers.rest_controller import (  # noqa: F401 (the older module's names)
    OperationsController,
    QaironSchema,
    RestController,
)
from qairon_qcli.controllers.upstream import UpstreamCalls, output_options, upstream_create
from qairon_qcli.generate import GenerateCommands
from qairon_qcli.history import HistoryCommands
from qairon_qcli.insight import render_document
from qairon_qcli.output import Output
from qairon_qcli.recon import ReconCommands, report_rows, report_summary
from qairon_qcli.schema import Schema, UnknownResource
from qairon_qcli.values import coerce, parse_json_text


class PrintingOutputController(AbstractOutputController):
    """Prints results (``json`` by default, or ``plain``/``table``) to ``stream``."""

    def __init__(self, output_format="json", stream=None, fields=None):
        self.output_format = output_format
        self.stream = stream
        self.fields = fields

    def _out(self):
        return Output(self.stream or sys.stdout, self.output_format, self.fields)

    def _output_(self, data, **kw):
        """Print what :meth:`handle` flattened: one row as an object, more as an array."""
        out = Output(self.stream or sys.stdout, kw.get("output_format") or self.output_format,
                     kw.get("output_fields") or self.fields)
        if isinstance(data, dict):
            return out.object(data)
        return out.objects(data)

    def object(self, obj):
        """Print one object."""
        self._out().object(obj)

    def objects(self, iterable):
        """Print a list of objects as it streams in."""
        self._out().objects(iterable)

    def value(self, value):
        """Print a scalar or JSON field value."""
        self._out().value(value)

    def reference(self, obj):
        """Print a to-one relation."""
        self._out().reference(obj)

    def written(self, obj):
        """Print the result of a write (the ID on plain)."""
        self._out().written(obj)

    def mapping(self, data):
        """Print a free-form document."""
        self._out().mapping(data)

    def document(self, data, table, summary=None):
        """Print a walk or report: JSON as is, else ``table`` (header, rows) as rows."""
        render_document(self.stream or sys.stdout, self.output_format, data, table, summary)

    def text(self, data):
        """Print a rendering: its text as it is (``-o json``: the whole document)."""
        if self.output_format == "json":
            return self.mapping(data)
        (self.stream or sys.stdout).write(data["text"])
        return None

    def generated(self, data):
        """Print a template's renderings: ``path<TAB>id`` rows (``-o json``: with the texts)."""
        rows = [(r["path"], r["id"]) for r in data.get("renderings", [])]
        self.document(data, (("PATH", "ID"), rows))

    def recon(self, report):
        """Print a recon report: a summary line then one row per difference (``-o json``: the
        report); returns the drift exit status when it found drift."""
        stream = self.stream or sys.stdout
        if self.output_format == "table":
            self.document(report, report_rows(report), report_summary(report))
        elif self.output_format == "json":
            self.mapping(report)
        else:
            stream.write(report_summary(report) + "\n")
            for row in report_rows(report)[1]:
                stream.write("\t".join(cell for cell in row if cell) + "\n")
        if report.get("status") == "drift":
            from qairon_qcli.cli import ExitStatus
            return ExitStatus.DRIFT
        return None


class ReturningOutputController:
    """Returns results as Python objects (lists are fully read into a list)."""

    def object(self, obj):
        """Return one object."""
        return obj

    def objects(self, iterable):
        """Return a list of objects."""
        return list(iterable)

    def value(self, value):
        """Return a field value."""
        return value

    def reference(self, obj):
        """Return the related object (or None)."""
        return obj

    def written(self, obj):
        """Return the written object."""
        return obj

    def mapping(self, data):
        """Return the document."""
        return data

    def document(self, data, table, summary=None):
        """Return the walk or report document."""
        return data

    def text(self, data):
        """Return a rendering's text."""
        return data["text"]

    def generated(self, data):
        """Return a template's renderings."""
        return data

    def recon(self, report):
        """Return a recon report."""
        return report


class QCLIController(UpstreamCalls, ActionCommands, HistoryCommands, GenerateCommands,
                     ReconCommands):
    """The operations of qcli over one endpoint, handing results to an output controller."""

    def __init__(self, output_controller=None, endpoint=None, client=None, schema=None):
        self.output = output_controller or PrintingOutputController()
        self.client = client or Client(endpoint)
        self.schema = schema or Schema()

    def _plural(self, resource):
        try:
            return self.schema.plural(resource)
        except UnknownResource as exc:
            raise InvalidInput(str(exc)) from None

    def _fields(self, resource, fields):
        entry = self.schema.resource(resource)
        types = entry.get("fields", {})
        out = {}
        for name, value in fields.items():
            if value is None:
                continue
            kind = types.get(name) or entry.get("options", {}).get(name, {}).get("type")
            out[name] = coerce(value, kind, f"{resource} {name}")
        return out

    @output_options
    def list(self, resource):
        """Every object of ``resource`` (``qcli RESOURCE list``)."""
        return self.output.objects(self.client.list(self._plural(resource)))

    @output_options
    def get(self, resource, resource_id):
        """One object (``qcli RESOURCE get ID``)."""
        return self.output.object(self.client.get(self._plural(resource), resource_id))

    @output_options
    def create(self, resource, **fields):
        """Create an object from its create fields and options; output its ID. ``resource``
        may be the older module's dictionary (``{"resource": ..., <fields>}``)."""
        if isinstance(resource, dict):
            resource, fields = upstream_create(self.schema, {**resource, **fields})
        plural = self._plural(resource)
        missing = [f for f in self.schema.resource(resource).get("create", [])
                   if fields.get(f) is None]
        if missing:
            raise InvalidInput(f"{resource} create needs {', '.join(missing)}")
        body = self._fields(resource, fields)
        return self.output.written(self.client.create(plural, body))

    @output_options
    def delete(self, resource, resource_id, cascade=False):
        """Delete an object (and, with ``cascade``, everything below it)."""
        result = self.client.delete(self._plural(resource), resource_id, cascade=cascade)
        return self.output.mapping(result)

    @output_options
    def get_field(self, resource, resource_id, field):
        """A scalar field, a to-one relation (object) or a to-many relation (list)."""
        plural = self._plural(resource)
        kind = self.schema.field_kind(resource, field)
        if kind == "to_many":
            return self.output.objects(self.client.iter_field(plural, resource_id, field))
        result = self.client.get_field(plural, resource_id, field)
        if isinstance(result, dict) and "results" in result and "count" in result:
            return self.output.objects(self.client.continue_pages(result))
        if kind == "to_one":
            return self.output.reference(result)
        return self.output.value(result)

    @output_options
    def set_field(self, resource, resource_id, field, value):
        """Set one field; JSON fields take JSON text, to-one relations the target's ID."""
        plural = self._plural(resource)
        column = self.schema.column_for(resource, field)
        kind = self.schema.field_type(resource, column)
        if column != field and value == "":
            value = None
        body = {column: coerce(value, kind, f"{resource} {field}")}
        return self.output.written(self.client.update(plural, resource_id, body))

    @output_options
    def query(self, resource, query):
        """Objects matching a Flask-Restless filter: ``{"filters": [...]}`` or a list."""
        filters = parse_json_text(query, "query")
        if not isinstance(filters, (list, dict)):
            raise InvalidInput('query must be {"filters": [...]} or a list of filters')
        return self.output.objects(self.client.query(self._plural(resource), filters))

    @output_options
    def assign(self, resource, resource_id, relation, other_id):
        """Add one many-to-many link (``qcli deployment assign_zone DEP ZONE``)."""
        plural = self._plural(resource)
        relation = self._relation(resource, relation)
        return self.output.written(self.client.link(plural, resource_id, relation, other_id))

    @output_options
    def unassign(self, resource, resource_id, relation, other_id):
        """Remove one many-to-many link."""
        plural = self._plural(resource)
        relation = self._relation(resource, relation)
        result = self.client.unlink(plural, resource_id, relation, other_id)
        if isinstance(result, dict) and "id" in result:
            return self.output.written(result)
        return self.output.written({"id": resource_id})

    def __getattr__(self, name):
        """``assign_<x>``/``unassign_<x>`` and the schema's actions, as on the command line.

        ``qcli.assign_zone(resource='deployment', resource_id=D, other_id=Z)`` is
        ``qcli.assign(resource='deployment', resource_id=D, relation='zone', other_id=Z)``;
        ``qcli.trace(resource='service', resource_id=S)`` runs the ``trace`` action
        (see :mod:`qairon_qcli.actions`).
        """
        if name.startswith("_") or "schema" not in self.__dict__:
            raise AttributeError(name)
        verb, _, suffix = name.partition("_")
        if verb not in ("assign", "unassign") or not suffix:
            method = self.action_method(name)
            if method is None:
                raise AttributeError(name)
            return functools.partial(output_options(lambda _self, *a, **kw: method(*a, **kw)),
                                     self)
        method = getattr(self, verb)

        def link(resource, resource_id, other_id):
            return method(resource, resource_id, suffix, other_id)
        link.__name__ = name
        return link

    def __dir__(self):
        return sorted(set(super().__dir__()) | set(self.action_methods()))

    def _relation(self, resource, relation):
        try:
            return self.schema.link_relation(resource, relation)
        except KeyError as exc:
            raise InvalidInput(exc.args[0]) from None
