"""CSV import as a Python API: :class:`CsvImportController`.

A file (or a directory of ``<resource>.csv`` files) is read once, checked, and
spooled as JSON lines; the lines are then streamed in blocks to the server in
ONE request (``POST /api/<plural>/bulk`` or ``POST /api/bulk``), which applies
them in one transaction: every row is written, or none. Memory stays flat for
any file size. Bad rows — refused by this reader or by the server's rules —
are all reported with their file and line, raising :class:`ImportRefused`.
"""
import json
import os
import tempfile
import time
from array import array

from qairon_qcli.client import Client, InvalidInput, RuleError, Unauthorized
from qairon_qcli.controllers import PrintingOutputController
from qairon_qcli.plugins.csv_import.csvfile import Problem, read_file
from qairon_qcli.schema import Schema, UnknownResource

SPOOL_IN_MEMORY = 16 << 20
BLOCK_BYTES = 256 << 10
MIN_READ_TIMEOUT = 600.0


def outcomes(report, committed):
    """``created``, ``unchanged``, ``updated`` and, when nothing was committed,
    ``would_create`` and ``would_update``, from a server's bulk report."""
    out = {key: report.get(key, 0) for key in ("created", "unchanged", "updated")}
    if not committed:
        for key, pending in (("created", "would_create"), ("updated", "would_update")):
            out[pending] = report.get(pending, out[key])
            out[key] = 0
    return out


class ImportRefused(RuleError):
    """Rows were refused and nothing was written; ``problems`` lists those the server
    listed (``summary["errors_omitted"]`` more were only counted)."""

    def __init__(self, summary, problems, malformed=False):
        head = (f"{summary['errors']} of {summary['rows']} rows refused, nothing was written"
                if not summary.get("dry_run") else
                f"{summary['errors']} of {summary['rows']} rows would be refused (dry run)")
        lines = [head] + [str(p) for p in problems]
        if summary.get("errors_omitted"):
            lines.append(f"… and {summary['errors_omitted']:,} more bad rows")
        super().__init__("\n".join(lines), status=422)
        self.summary, self.problems, self.malformed = summary, problems, malformed


class MalformedRows(ImportRefused, InvalidInput):
    """Like :class:`ImportRefused`, but some rows could not even be read (bad cells)."""


class RowsNotAllowed(ImportRefused, Unauthorized):
    """Like :class:`ImportRefused`, but every refusal was the token's (401/403: exit 7)."""


def dependency_order(schema, names):
    """``names`` in the schema's ``order``: every resource after those it refers to."""
    return [name for name in schema.order() if name in names]


class Spool:
    """Rows encoded as JSON lines in a spooled temporary file, with their origins."""

    def __init__(self):
        self.file = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY, mode="w+b")
        self.lines = array("l")
        self.files = []   # (first index, filename)
        self.problems = []

    def add_file(self, resource, path, entry, tag_resource):
        """Read one CSV file into the spool; problems are collected, fatal errors raise."""
        filename = path
        self.files.append((len(self.lines), filename))
        try:
            stream = open(path, encoding="utf-8-sig", newline="")
        except OSError as exc:
            raise InvalidInput(f"cannot read {path}: {exc.strerror or exc}") from None
        with stream:
            for line, result in read_file(stream, resource, entry, filename):
                if isinstance(result, list):
                    self.problems.extend(result)
                    continue
                if tag_resource:
                    result = {"resource": resource, **result}
                self.file.write(json.dumps(result, separators=(",", ":"),
                                           ensure_ascii=False).encode("utf-8") + b"\n")
                self.lines.append(line)

    def origin(self, index):
        """``(filename, line)`` of the row sent as line ``index``."""
        filename = self.files[0][1]
        for first, name in self.files:
            if first > index:
                break
            filename = name
        line = self.lines[index] if 0 <= index < len(self.lines) else 0
        return filename, line

    def blocks(self, progress=None):
        """The spooled lines in blocks of about 256 KiB, reporting rows sent."""
        self.file.seek(0)
        while True:
            lines = self.file.readlines(BLOCK_BYTES)
            if not lines:
                return
            yield b"".join(lines)
            if progress is not None:
                progress(len(lines))


class CsvImportController:
    """``import_csv`` and ``import_dir``, the Python face of ``qcli csv_import``."""

    def __init__(self, output_controller=None, endpoint=None, client=None, schema=None,
                 progress=None):
        self.output = output_controller or PrintingOutputController()
        self.client = client or Client(endpoint)
        self.schema = schema or Schema()
        self.progress = progress

    @classmethod
    def from_qcli(cls, controller, progress=None):
        """The importer sharing a :class:`QCLIController`'s client, schema and output."""
        return cls(controller.output, client=controller.client, schema=controller.schema,
                   progress=progress)

    def import_csv(self, resource, file, dry_run=False, update=False):
        """Import one CSV file of ``resource`` in one transaction; output the summary."""
        try:
            entry = self.schema.resource(resource)
        except UnknownResource as exc:
            raise InvalidInput(str(exc)) from None
        spool = Spool()
        started = time.monotonic()
        spool.add_file(resource, file, entry, tag_resource=False)
        summary = {"file": file, "resource": resource}
        path = f"{entry['plural']}/bulk"
        return self._run(spool, path, summary, started, dry_run, update)

    def import_dir(self, directory, dry_run=False, update=False):
        """Import every ``<resource>.csv`` (or ``<plural>.csv``) of ``directory`` in one transaction.

        Files are taken in dependency order: environments before providers, ...
        """
        try:
            names = sorted(f for f in os.listdir(directory) if f.endswith(".csv"))
        except OSError as exc:
            raise InvalidInput(f"cannot read directory {directory}: {exc.strerror}") from None
        by_name = {entry["plural"]: r for r, entry in self.schema.resources.items()}
        by_name.update({r: r for r in self.schema.resources})
        unknown = [n for n in names if n[:-4] not in by_name]
        if unknown:
            raise InvalidInput(f"{directory}: {', '.join(unknown)} name no resource (files are "
                               f"named <resource>.csv or <plural>.csv, e.g. stacks.csv)")
        resources = {}
        for name in names:
            resource = by_name[name[:-4]]
            if resource in resources:
                raise InvalidInput(f"{directory}: {resources[resource]} and {name} are both "
                                   f"{resource} files; keep one")
            resources[resource] = name
        if not resources:
            raise InvalidInput(f"{directory}: no <resource>.csv file to import")
        spool = Spool()
        started = time.monotonic()
        order = dependency_order(self.schema, resources)
        for resource in order:
            spool.add_file(resource, os.path.join(directory, resources[resource]),
                           self.schema.resource(resource), tag_resource=True)
        summary = {"directory": directory, "files": [resources[r] for r in order]}
        return self._run(spool, "bulk", summary, started, dry_run, update)

    def _run(self, spool, path, summary, started, dry_run, update):
        malformed = bool(spool.problems)
        report = {"rows": 0, "created": 0, "unchanged": 0, "updated": 0, "errors": []}
        if spool.lines:
            report = self._send(spool, path, dry_run or malformed, update)
        problems = list(spool.problems) + [
            Problem(*spool.origin(e.get("index", -1)), e.get("field"), e.get("value"),
                    e.get("detail", "refused")) for e in report.get("errors", [])]
        order = {name: i for i, (_first, name) in enumerate(spool.files)}
        problems.sort(key=lambda p: (order.get(p.filename, 0), p.line))
        seconds = time.monotonic() - started
        rows = len(spool.lines) + len({(p.filename, p.line) for p in spool.problems})
        omitted = report.get("errors_omitted", 0)
        committed = not (dry_run or problems)
        summary.update(dry_run=dry_run, committed=committed, rows=rows,
                       **outcomes(report, committed), errors=len(problems) + omitted,
                       seconds=round(seconds, 3),
                       rows_per_second=round(rows / seconds) if seconds > 0 else rows,
                       changeset=report.get("changeset"))
        if omitted:
            summary["errors_omitted"] = omitted
        if problems:
            statuses = {e.get("status") for e in report.get("errors", [])}
            if malformed:
                raise MalformedRows(summary, problems)
            if statuses and statuses <= {401, 403}:
                raise RowsNotAllowed(summary, problems)
            raise ImportRefused(summary, problems)
        return self.output.mapping(summary)

    def _send(self, spool, path, dry_run, update):
        """Stream the spool to the server in one request; the bulk report, even of bad rows."""
        client = self.client
        params = {"dry_run": str(bool(dry_run)).lower(), "update": str(bool(update)).lower()}
        return client.request(
            "POST", client.url(path), params=params, data=spool.blocks(self.progress),
            headers={"Content-Type": "application/x-ndjson"},
            read_timeout=max(client.timeout[1], MIN_READ_TIMEOUT), answers=is_report)


def is_report(payload):
    """True for a bulk import report (``rows`` and a list of ``errors``)."""
    return isinstance(payload, dict) and "rows" in payload and isinstance(
        payload.get("errors"), list)
