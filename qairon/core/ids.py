"""Canonical IDs: pure functions that build and check them.

Every object's ID is its parent's ID and its own name parts joined by ``:``.
"""

SEPARATOR = ":"


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
    if SEPARATOR in text:
        return f"{field} {text!r} may not contain '{SEPARATOR}' (it separates the parts of an ID)"
    if text != text.strip():
        return f"{field} {text!r} may not start or end with white space"
    return None


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
