"""One error shape for the whole API.

Every refusal is an :class:`ApiError` carrying an HTTP status, a sentence that
names the field, the value and the rule, and the offending field. It derives
from Flask-Restless-NG's ``ProcessingException`` so that the JSON:API face
renders it through its own error path, while the plain face and Flask's error
handlers render the same fields as a flat JSON object.
"""
from flask_restless import ProcessingException


class ApiError(ProcessingException):
    """A client error with a status, a human sentence and the offending field."""

    status_code = 400
    title_text = "Bad Request"

    def __init__(self, detail, field=None, status=None, meta=None):
        status = status or self.status_code
        source = {"field": field} if field else None
        super().__init__(status=status, title=self.title_text, detail=detail,
                         source=source, meta=meta)
        self.field = field
        self.description = detail

    def as_dict(self):
        """The plain-face body of this error."""
        body = {"status": self.status, "title": self.title, "detail": self.detail,
                "source": self.source}
        if self.meta:
            body["meta"] = self.meta
        return body

    def __str__(self):
        return self.detail


class BadRequest(ApiError):
    """Malformed input: not JSON, wrong type, unknown field, unparsable CIDR."""


class NotFound(ApiError):
    """An ID in the URL that does not exist."""

    status_code = 404
    title_text = "Not Found"


class Conflict(ApiError):
    """The write collides with what exists: duplicate, overlap, isolation, children."""

    status_code = 409
    title_text = "Conflict"


class RuleError(ApiError):
    """The input is well formed but breaks a rule of the model."""

    status_code = 422
    title_text = "Unprocessable Entity"
