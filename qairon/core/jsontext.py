"""JSON in and out within bounds: pure functions, no framework.

:func:`loads` reads a JSON text and refuses, with a sentence naming where,
what cannot be stored or would exhaust the server: nesting deeper than a
bound (a body nested 100,000 deep is refused, never a ``RecursionError``),
``NaN`` and ``Infinity`` (not JSON numbers; PostgreSQL refuses them), and
strings holding NUL or a lone surrogate. :func:`check_document` bounds a
stored JSON object (``defaults``) in size and depth.
"""
import json
import math

from qairon.core.errors import BadRequest
from qairon.core.text import UNSTORABLE, clip, text_problem

#: Keys of the bodies' envelopes (JSON:API's ``data.attributes``, bulk's ``objects``): an
#: error names the first key below them, the field of a resource.
ENVELOPE = ("data", "attributes", "relationships", "objects")


class JsonRefused(BadRequest):
    """A JSON text or value refused: not JSON, too deep, not a finite number, unstorable text."""


class NonFinite:
    """What ``NaN``, ``Infinity`` or an overflowing number parses to, until it is refused."""

    def __init__(self, text):
        self.text = text


def _parse_float(text):
    value = float(text)
    return value if math.isfinite(value) else NonFinite(text)


def path_text(root, path):
    """Where a value is: ``defaults.a[2]``, ``filter[0].val``, ``line 3: defaults``."""
    inner = ""
    for step in path:
        inner += f"[{step}]" if isinstance(step, int) else (f".{step}" if inner else str(step))
    if not root:
        return clip(inner, 120) or "the request body"
    if not inner:
        return root
    inner = clip(inner, 120)
    if root.isidentifier():
        return root + (inner if inner.startswith("[") else "." + inner)
    return f"{root}: {inner}"


def check_value(value, max_depth, root=None, field=None):
    """Refuse, naming the place, a value nested deeper than ``max_depth`` or holding
    a non-finite number or unstorable text. Iterative: no recursion on deep input.

    ``root`` names the value in sentences; the error's field is ``field``, or
    else the first key on the way to the problem that is not an envelope's
    (``defaults`` in ``{"data": {"attributes": {"defaults": ...}}}``).
    """
    def first_field(path):
        keys = [step for step in path if isinstance(step, str)]
        return field or next((k for k in keys if k not in ENVELOPE), keys[0] if keys else "body")

    stack = [(value, 0, ())]
    while stack:
        item, depth, path = stack.pop()
        if isinstance(item, (dict, list)):
            if depth >= max_depth:
                raise JsonRefused(f"{path_text(root, path)} is nested deeper than "
                                  f"{max_depth} levels of arrays and objects",
                                  field=first_field(path))
            pairs = item.items() if isinstance(item, dict) else enumerate(item)
            for key, child in pairs:
                if isinstance(key, str) and UNSTORABLE.search(key):
                    where = path_text(root, path)
                    raise JsonRefused(text_problem(f"a key of {where}", key, UNSTORABLE),
                                      field=first_field(path))
                stack.append((child, depth + 1, path + (key,)))
        elif isinstance(item, str):
            if UNSTORABLE.search(item):
                raise JsonRefused(text_problem(path_text(root, path), item, UNSTORABLE),
                                  field=first_field(path))
        elif isinstance(item, NonFinite) or isinstance(item, float) and not math.isfinite(item):
            shown = item.text if isinstance(item, NonFinite) else repr(item)
            raise JsonRefused(f"{path_text(root, path)} is {clip(shown, 40)}, which is not a "
                              f"finite JSON number (JSON has no NaN or Infinity)",
                              field=first_field(path))


def loads(text, max_depth, root=None, field=None):
    """Parse a JSON text (``str`` or UTF-8 ``bytes``) and :func:`check_value` it.

    ``root`` names the text in sentences (``filter``, ``line 3``) and ``field``
    is the field every error names; without it a body's errors name the first
    key on the way to the problem (``defaults``). Raises :class:`JsonRefused`.
    """
    where = root or "the request body"
    try:
        value = json.loads(text, parse_constant=NonFinite, parse_float=_parse_float)
    except RecursionError:
        raise JsonRefused(f"{where} is nested deeper than {max_depth} levels of arrays and "
                          f"objects", field=field or "body") from None
    except UnicodeDecodeError:
        raise JsonRefused(f"{where} is not UTF-8 text", field=field or "body") from None
    except ValueError as exc:
        reason = f": {exc}" if isinstance(exc, json.JSONDecodeError) else ""
        raise JsonRefused(f"{where} is not valid JSON{clip(reason, 120)}",
                          field=field or "body") from None
    check_value(value, max_depth, root, field)
    return value


def check_document(field, value, max_bytes, max_depth):
    """Refuse a stored JSON object (``defaults``) that is not an object, is larger than
    ``max_bytes`` as compact JSON, or nested deeper than ``max_depth``."""
    if not isinstance(value, dict):
        shown = "null" if value is None else type(value).__name__
        raise BadRequest(f"{field} must be a JSON object (give {{}} for none), not {shown}",
                         field=field)
    check_value(value, max_depth, root=field, field=field)
    size = len(json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8",
                                                                                   "replace"))
    if size > max_bytes:
        raise BadRequest(f"{field} is {size:,} bytes as JSON; at most {max_bytes:,} are "
                         f"allowed (DEFAULTS_MAX_BYTES)", field=field)
