"""The kinds of refusal, as plain exceptions that know nothing of HTTP.

Every refusal carries a sentence naming the field, the value and the rule,
and the offending field. Its *kind* says what went wrong (bad input, not
found, conflict, rule broken, ...); the API layer alone turns a kind into a
status code (:mod:`qairon.api.errors`), as a CLI would turn it into an exit
code.
"""


class QaironError(Exception):
    """A refusal: a human sentence, the offending field and optional details."""

    kind = "bad_input"

    def __init__(self, detail, field=None, meta=None):
        super().__init__(detail)
        self.detail = detail
        self.field = field
        self.meta = meta

    def __str__(self):
        return self.detail


class BadRequest(QaironError):
    """Malformed input: not JSON, wrong type, unknown field, unparsable CIDR."""

    kind = "bad_input"


class Unauthorized(QaironError):
    """No credentials where they are needed, or credentials that are not valid."""

    kind = "unauthorized"


class Forbidden(QaironError):
    """Valid credentials that lack the role or the environment scope a write needs."""

    kind = "forbidden"


class Throttled(QaironError):
    """Too many attempts (failed logins) in a short time; ``meta`` says when to retry."""

    kind = "throttled"


class NotFound(QaironError):
    """An ID that does not exist."""

    kind = "not_found"


class Conflict(QaironError):
    """The write collides with what exists: duplicate, overlap, isolation, children, a lost race."""

    kind = "conflict"


class RuleError(QaironError):
    """The input is well formed but breaks a rule of the model."""

    kind = "rule"


class TooLarge(QaironError):
    """The input is larger than a configured limit allows."""

    kind = "too_large"


class Unsupported(QaironError):
    """The input comes in a form that is not accepted (a body that does not say it is JSON)."""

    kind = "unsupported"


class Unavailable(QaironError):
    """The work could not be done now (a timeout, the database gone); try again."""

    kind = "unavailable"


def does_not_exist(resource, object_id, field="id"):
    """The refusal of an ID that names no object: ``service 'a:b' does not exist`` (404)."""
    return NotFound(f"{resource} {object_id!r} does not exist", field=field)
