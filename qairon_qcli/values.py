"""Command-line text turned into the JSON values the schema declares."""
import json

from qairon_qcli.client import InvalidInput


def parse_json_text(text, what):
    """Decode JSON given as text on the command line; :class:`InvalidInput` if bad."""
    if not isinstance(text, str):
        return text
    try:
        return json.loads(text)
    except ValueError as exc:
        raise InvalidInput(f"{what} is not valid JSON: {exc}") from None


def read_text_file(path, what):
    """The text of ``path`` (``-``: standard input) for the field ``what``."""
    import sys
    if path == "-":
        return sys.stdin.read()
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or "not UTF-8 text"
        raise InvalidInput(f"--{what.replace('_', '-')}-file {path}: {reason}") from None


def coerce(value, kind, what):
    """Convert a command-line string to the JSON type the schema declares."""
    if not isinstance(value, str):
        return value
    if kind == "json":
        return parse_json_text(value, what)
    if kind == "integer":
        try:
            return int(value)
        except ValueError:
            raise InvalidInput(f"{what} must be an integer, not {value!r}") from None
    if kind == "number":
        try:
            return float(value)
        except ValueError:
            raise InvalidInput(f"{what} must be a number, not {value!r}") from None
    if kind == "boolean":
        lowered = value.lower()
        if lowered not in ("true", "false", "1", "0", "yes", "no"):
            raise InvalidInput(f"{what} must be true or false, not {value!r}")
        return lowered in ("true", "1", "yes")
    return value
