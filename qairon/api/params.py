"""Query parameters read the same way on every endpoint of both faces."""
from flask import request

from qairon.core.errors import BadRequest
from qairon.core.flags import parse_flag


def query_flag(name, default=False):
    """A yes/no query parameter; 400 naming it for anything but true/false/1/0/yes/no."""
    try:
        return parse_flag(name, request.args.get(name), default)
    except ValueError as exc:
        raise BadRequest(str(exc), field=name) from None


def body_flag(name, body, default=False):
    """A yes/no option from a JSON body (a real boolean), else from the query string."""
    if isinstance(body, dict) and name in body:
        value = body[name]
        if not isinstance(value, bool):
            raise BadRequest(f"{name} must be true or false, not {value!r}", field=name)
        return value
    return query_flag(name, default)
