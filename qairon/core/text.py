"""Text that can be stored and shown: pure checks on strings, no framework.

PostgreSQL cannot store a NUL character, and a lone UTF-16 surrogate (which
JSON's ``\\ud800`` escapes can produce) is not Unicode text at all: both are
refused wherever text enters. Names and one-line fields also refuse every
other control character (Unicode category Cc: ``\\n``, ``\\r``, ``\\t``,
``\\x01``...), which would break qcli's one-value-per-line output and HTTP
headers; multi-line fields (documents, templates) keep tab and line breaks.
"""
import re

#: Never storable: NUL and the surrogate range (any surrogate in a str is a lone one).
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
#: Category Cc (C0, DEL, C1) and surrogates: refused in names and one-line text.
ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
#: Like :data:`ONE_LINE`, but tab, line feed and carriage return are allowed.
MULTI_LINE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")

#: A whole number as text: an optional sign, then ASCII digits.
INTEGER = re.compile(r"[+-]?[0-9]+")

#: How many characters of a refused value an error message quotes.
QUOTE_LIMIT = 80


def clip(text, limit=QUOTE_LIMIT):
    """``text`` cut to ``limit`` characters, with ``…`` when something was cut."""
    text = str(text)
    return text if len(text) <= limit else text[:limit] + "…"


def quoted(value, limit=QUOTE_LIMIT):
    """A value as an error message quotes it: ``repr`` of its clipped text."""
    return repr(clip(value, limit)) if isinstance(value, str) else clip(repr(value), limit)


def describe(char):
    """How a refused character is named: ``'\\n' (U+000A)``."""
    return f"{char!r} (U+{ord(char):04X})"


def text_problem(field, text, pattern=ONE_LINE):
    """A sentence saying why ``text`` cannot be the value of ``field``, or None.

    ``pattern`` is :data:`ONE_LINE` (names, IDs, one-line fields),
    :data:`MULTI_LINE` (documents) or :data:`UNSTORABLE` (free JSON text).
    """
    found = pattern.search(text)
    if found is None:
        return None
    char = found.group()
    if "\ud800" <= char <= "\udfff":
        return (f"{field} contains a lone surrogate {describe(char)} at position "
                f"{found.start()}, which is not Unicode text")
    if char == "\x00":
        return (f"{field} contains a NUL character (at position {found.start()}), which "
                f"text may not hold")
    return (f"{field} contains the control character {describe(char)} at position "
            f"{found.start()}; it may not contain control characters"
            + (" other than tab and line breaks" if pattern is MULTI_LINE else ""))


def is_digits(text):
    """True when ``text`` is one or more ASCII digits.

    ``str.isdigit`` is not that test: it also takes ``"¹"`` (which ``int``
    refuses) and the digits of other scripts (which ``int`` reads).
    """
    return text.isascii() and text.isdigit()


def is_integer(text):
    """True when ``text`` is a whole number ``int`` reads: a sign at most, ASCII digits."""
    return INTEGER.fullmatch(text) is not None
