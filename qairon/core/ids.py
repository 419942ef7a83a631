"""Canonical IDs: pure functions that build and check them.

Every object's ID is its parent's ID and its own name parts joined by ``:``.

Bounds, rules of the model (not configuration): a name part is at most
:data:`NAME_MAX_LENGTH` characters, and an ID at most :data:`ID_MAX_LENGTH`
bytes once written in a URL path (UTF-8, percent-encoded as qcli and curl send
it), so that ``GET /api/<plural>/<id>/<walk>`` fits in the 4,094-byte request
line gunicorn accepts.
"""
from urllib.parse import quote

from qairon.core.text import ONE_LINE, quoted, text_problem

SEPARATOR = ":"
#: Longest name part, in characters.
NAME_MAX_LENGTH = 200
#: Longest ID, in bytes of its URL form (plain ASCII letters, digits and ``-._~:/@`` count one).
ID_MAX_LENGTH = 1024


class Last:
    """An ID part taken as the last segment of another object's ID.

    ``deployment_proc`` is identified by its deployment and the *name* of its
    proc, not the proc's whole ID: ``Last("proc_id")`` says so declaratively.
    """

    def __init__(self, field):
        self.field = field

    def __repr__(self):
        return f"Last({self.field!r})"


def part_field(part):
    """The column name an ID part reads."""
    return part.field if isinstance(part, Last) else part


def is_reference(field):
    """True for foreign-key fields (``*_id``), whose values are IDs themselves."""
    return field.endswith("_id") and field != "native_id"


def check_name_part(field, value):
    """Return an error sentence if ``value`` cannot be a name part, else None."""
    if value is None or (isinstance(value, str) and value.strip() == ""):
        return f"{field} is required and may not be empty"
    text = str(value)
    if len(text) > NAME_MAX_LENGTH:
        return (f"{field} {quoted(text, 40)} is {len(text):,} characters long; a name is at "
                f"most {NAME_MAX_LENGTH} characters")
    problem = text_problem(field, text, ONE_LINE)
    if problem:
        return problem
    if SEPARATOR in text:
        return (f"{field} {quoted(text)} may not contain '{SEPARATOR}' (it separates the parts "
                f"of an ID)")
    if text != text.strip():
        return f"{field} {quoted(text)} may not start or end with white space"
    return None


def url_length(object_id):
    """Bytes of ``object_id`` in a URL path, percent-encoded as qcli sends it."""
    return len(quote(object_id.encode("utf-8", "surrogatepass"), safe=":/@"))


def check_id_length(resource, object_id):
    """An error sentence if ``object_id`` is too long to be addressed in a URL, else None."""
    size = url_length(object_id)
    if size <= ID_MAX_LENGTH:
        return None
    return (f"the {resource} ID {quoted(object_id, 60)} would be {size:,} bytes long in a URL; "
            f"an ID is at most {ID_MAX_LENGTH:,} bytes, so that every object stays addressable: "
            f"use shorter names")


def build_id(parts, values):
    """Join the ID parts read from ``values`` (a mapping field -> value)."""
    out = []
    for part in parts:
        value = values[part_field(part)]
        if isinstance(part, Last):
            value = str(value).rsplit(SEPARATOR, 1)[-1]
        out.append(str(value))
    return SEPARATOR.join(out)


def environment_of(object_id):
    """The environment an infrastructure ID belongs to: its first segment."""
    return object_id.split(SEPARATOR, 1)[0] if object_id else None
