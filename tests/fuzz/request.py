"""One fuzzed HTTP request, and its encoding on the wire."""
import json
from dataclasses import dataclass, field
from urllib.parse import quote

JSONAPI_PREFIX = "/api/rest/v1"


def encode(text, safe):
    """Percent-encode ``text`` (lone surrogates too; another value as its JSON) for a URL."""
    if not isinstance(text, str):
        text = json.dumps(text)
    return quote(text.encode("utf-8", "surrogatepass"), safe=safe)


@dataclass
class FuzzRequest:
    """What a strategy drew: ``kind`` names the strategy (``plain.create``, ...)."""

    kind: str
    method: str
    path: str
    query: list = field(default_factory=list)
    body: str | bytes | None = None
    content_type: str | None = "application/json"

    @property
    def face(self):
        """``jsonapi`` or ``plain``."""
        return "jsonapi" if self.path.startswith(JSONAPI_PREFIX) else "plain"

    def quoted_path(self):
        """The path, percent-encoded (``:`` and ``/`` kept)."""
        return encode(self.path, safe="/:")

    def query_string(self):
        """The query, percent-encoded."""
        return "&".join(f"{encode(k, '[]')}={encode(v, ':,')}" for k, v in self.query)

    def target(self):
        """Path and query as sent on the request line."""
        query = self.query_string()
        return self.quoted_path() + ("?" + query if query else "")

    def body_bytes(self):
        """The body as bytes (lone surrogates kept as their UTF-8-like bytes)."""
        if self.body is None:
            return None
        if isinstance(self.body, bytes):
            return self.body
        return self.body.encode("utf-8", "surrogatepass")

    def headers(self):
        """Request headers: the content type when there is a body."""
        if self.body is not None and self.content_type:
            return {"Content-Type": self.content_type}
        return {}

    def text(self):
        """Everything the request says, for telling echoes from leaks."""
        body = self.body_bytes() or b""
        return (self.path + " " + repr(self.query) + " "
                + body.decode("utf-8", "replace") + " " + (self.content_type or ""))

    def describe(self, limit=300):
        """One line for a report: method, target, content type, body (shortened)."""
        body = self.body_bytes()
        shown = "" if body is None else " " + repr(body[:limit])
        more = f"... ({len(body)} bytes)" if body is not None and len(body) > limit else ""
        return f"{self.method} {self.target()[:limit]} [{self.content_type}]{shown}{more}"
