"""Building blocks of operations: parameters, bodies, success and error responses.

Which error statuses an operation lists follows what it does: every request
may be malformed (400), unauthenticated or not allowed (401, 403), about
something unknown (404) or meet a busy database (503); a write may also
conflict (409), be too large (413), not be JSON (415) or break a rule (422).
Errors are the one shape of :mod:`qairon.api.errors`, inside ``errors`` on
the JSON:API face.
"""
from qairon.api.errors import STATUS
from qairon.openapi.schemas import ref

JSON = "application/json"
JSONAPI = "application/vnd.api+json"
READ_ERRORS = (400, 401, 403, 404, 503)
WRITE_ERRORS = READ_ERRORS + (409, 413, 415, 422)
ANY = {}
TITLES = {status: title for status, title in STATUS.values()}


def content(schema, media=JSON):
    """A ``content`` map of one media type."""
    return {media: {"schema": schema}}


def body(schema, media=(JSON,), required=True):
    """A request body of JSON (or the given media types)."""
    return {"required": required,
            "content": {m: {"schema": schema} for m in media}}


def parameter(name, where, schema=None, required=False, description=None):
    """One parameter; path parameters are always required."""
    out = {"name": name, "in": where, "required": required or where == "path",
           "schema": schema or {"type": "string"}}
    if description:
        out["description"] = description
    return out


def path_parameter(name, description=None, enum=None):
    """A required text parameter in the path, optionally one of ``enum``."""
    schema = {"type": "string", "enum": sorted(enum)} if enum else {"type": "string"}
    return parameter(name, "path", schema, description=description)


def errors(statuses, jsonapi=False):
    """Error responses for ``statuses``: references to :func:`error_responses`."""
    prefix = "JsonApiError" if jsonapi else "Error"
    return {str(status): {"$ref": f"#/components/responses/{prefix}{status}"}
            for status in statuses}


def error_responses():
    """The shared error responses: one per status and face."""
    out = {}
    for status, title in sorted(TITLES.items()):
        out[f"Error{status}"] = {"description": title, "content": content(ref("Error"))}
        out[f"JsonApiError{status}"] = {"description": title,
                                        "content": content(ref("JsonApiErrors"), JSONAPI)}
    return out


def success(status, description, schema=ANY, media=JSON):
    """One success response; 204 has no body."""
    if status == 204:
        return {"204": {"description": description}}
    return {str(status): {"description": description, "content": content(schema, media)}}


def operation(operation_id, summary, responses, parameters=(), request_body=None, tags=(),
              description=None):
    """An operation object (only the parts given)."""
    out = {"operationId": operation_id, "summary": summary, "tags": list(tags),
           "responses": responses}
    if parameters:
        out["parameters"] = list(parameters)
    if request_body:
        out["requestBody"] = request_body
    if description:
        out["description"] = description
    return out


def is_write(method):
    """True for the methods that change something."""
    return method.upper() in ("POST", "PUT", "PATCH", "DELETE")


def error_statuses(method):
    """The error statuses an operation of ``method`` lists."""
    return WRITE_ERRORS if is_write(method) else READ_ERRORS
