"""Bulk import endpoints: ``POST /api/<plural>/bulk`` and ``POST /api/bulk``.

A request is one transaction: every row is written, or none. The body is
either JSON — ``{"objects": [{fields}, ...], "dry_run": false, "update": false}``
or a bare list of objects — or, for large imports streamed by qcli, JSON lines
(``Content-Type: application/x-ndjson``, one object per line, options in the
query string ``?dry_run=true&update=true``). On ``/api/bulk`` every object
names its ``resource``; the JSON form is taken in dependency order (parents
first), JSON lines in the order sent. The answer is the report of
:meth:`qairon.bulk.importer.BulkImport.report`: 200 when the rows are valid (and, unless
a dry run, written), 422 when any row was refused — then nothing is written.
"""
from flask import Blueprint, current_app, jsonify, request
from werkzeug.exceptions import RequestEntityTooLarge

from qairon.api.body import NDJSON_TYPES, json_body, streamed
from qairon.api.errors import STATUS
from qairon.api.params import body_flag
from qairon.api.plain import model_for
from qairon.api.transactions import mark_streamed
from qairon.bulk.importer import CHUNK_SIZE, BulkImport
from qairon.core.errors import BadRequest
from qairon.core.jsontext import loads
from qairon.core.limits import LIMITS
from qairon.database import allow_statement_time
from qairon.extensions import db
from qairon.history.record import changeset_of
from qairon.models import dependency_order
from qairon.ops.counting import count_import

bp = Blueprint("bulk", __name__, url_prefix="/api")
READ_SIZE = 1 << 16


def iter_lines(stream):
    """Lines of a (possibly chunked) request body, read in blocks, within the bulk limit."""
    pending, total = b"", 0
    while True:
        block = stream.read(READ_SIZE)
        if not block:
            break
        total += len(block)
        if total > LIMITS.bulk_max_body_bytes:
            raise RequestEntityTooLarge()
        pending += block
        *lines, pending = pending.split(b"\n")
        yield from lines
    if pending:
        yield pending


def ndjson_objects(stream):
    """``(index, object or error)`` for every non-empty line; the index is the line's, from 0.

    Once read, a streamed body cannot be replayed: a transient database
    failure then answers 503 instead of running the import again.
    """
    mark_streamed()
    for index, line in enumerate(iter_lines(stream)):
        if not line.strip():
            continue
        try:
            yield index, loads(line, LIMITS.json_max_depth, root=f"line {index + 1}")
        except BadRequest as exc:
            yield index, exc


def json_objects():
    """The objects of a JSON body (``{"objects": [...]}`` or a bare list) and the body."""
    body = json_body()
    objects = body.get("objects") if isinstance(body, dict) else body
    if not isinstance(objects, list):
        raise BadRequest('the body must be {"objects": [{...}, ...]}, a JSON list of '
                         'objects, or JSON lines (Content-Type: application/x-ndjson)',
                         field="objects")
    return list(enumerate(objects)), body


def is_ndjson():
    """True when the body is JSON lines."""
    return request.mimetype in NDJSON_TYPES


def items_for(pairs, resource_of):
    """``(index, resource, fields)`` items; malformed entries keep their index."""
    for index, obj in pairs:
        if isinstance(obj, BadRequest):
            yield index, resource_of(obj), obj
        elif not isinstance(obj, dict):
            yield index, resource_of(obj), BadRequest(f"object {index} must be a JSON object of fields",
                                          field="objects")
        else:
            yield index, resource_of(obj), obj


def run_import(items, dry_run, update):
    """Feed ``items`` to one :class:`BulkImport` and answer with its report."""
    chunk_size = int(current_app.config.get("BULK_CHUNK_SIZE", CHUNK_SIZE))
    importer = BulkImport(db.session, update=update, chunk_size=chunk_size,
                          max_errors=LIMITS.bulk_max_reported_errors)
    allow_statement_time(db.session, current_app.config["BULK_STATEMENT_TIMEOUT_MS"])
    importer.feed(items)
    report = importer.finish(dry_run=dry_run)
    report["changeset"] = changeset_of(db.session) if report["committed"] else None
    count_import(report)
    for entry in report["errors"]:
        entry["status"] = STATUS[entry.pop("kind")][0]
    response = jsonify(report)
    response.status_code = 422 if report["error_count"] else 200
    return response


@bp.post("/<plural>/bulk")
@streamed
def bulk_one(plural):
    """Import objects of one resource."""
    cls = model_for(plural)
    if is_ndjson():
        pairs, body = ndjson_objects(request.stream), None
    else:
        pairs, body = json_objects()
    options = (body_flag("dry_run", body), body_flag("update", body))
    return run_import(items_for(pairs, lambda _obj: cls.resource), *options)


@bp.post("/bulk")
@streamed
def bulk_many():
    """Import objects of several resources, each naming its ``resource``."""
    if is_ndjson():
        pairs, body = ndjson_objects(request.stream), None
    else:
        pairs, body = json_objects()
        rank = {name: i for i, name in enumerate(dependency_order())}
        pairs.sort(key=lambda pair: (rank.get(_resource(pair[1]), -1), pair[0]))
    options = (body_flag("dry_run", body), body_flag("update", body))
    return run_import(items_for(pairs, _resource), *options)


def _resource(obj):
    """The resource name an object gives, when it is text (anything else is reported)."""
    name = obj.get("resource") if isinstance(obj, dict) else None
    return name if isinstance(name, str) else None
