"""Query parameters read the same way on every endpoint of both faces."""
from flask import request

from qairon.core.errors import BadRequest
from qairon.core.flags import parse_flag
from qairon.core.text import quoted

#: The largest value a database offset or count can hold (a signed 64-bit integer).
BIGINT_MAX = 2 ** 63 - 1


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


def whole_number(name, raw, low=0, high=BIGINT_MAX):
    """``raw`` (a number or its decimal text) as a whole number in ``low..high``; 400 naming
    ``name`` otherwise."""
    text = str(raw).strip()
    if not (text.isascii() and text.lstrip("-").isdigit()) or isinstance(raw, bool):
        raise BadRequest(f"{name} {quoted(raw)} must be a whole number", field=name)
    if len(text) > 20 or not low <= int(text) <= high:
        high_text = f"{high:,}" if high < BIGINT_MAX else "2^63-1"
        raise BadRequest(f"{name} {quoted(raw)} must be between {low:,} and {high_text}",
                         field=name)
    return int(text)


def query_int(name, default=None, low=0, high=BIGINT_MAX):
    """A whole-number query parameter within ``low..high``, or ``default`` when absent."""
    raw = request.args.get(name)
    return default if raw is None else whole_number(name, raw, low, high)
