"""HTTP client of Qairon's plain JSON face (``/api/<plural>``).

Every failure is a typed :class:`QaironError`; nothing here prints or exits.
``requests`` is imported on the first request so that ``qcli --help`` stays fast.
"""
import json
import os
import uuid
from urllib.parse import quote, urljoin, urlsplit

from qairon_qcli import positions

#: The header naming each request, so that an error can be found in the server's log.
REQUEST_ID = "X-Request-ID"
DEFAULT_ENDPOINT = "http://127.0.0.1:5000"
DEFAULT_TIMEOUT = (5.0, 60.0)
PAGE_SIZE = 500


class QaironError(Exception):
    """Base of every error the client raises; ``status`` is the HTTP status if any."""

    status = None
    #: The ``X-Request-ID`` of the request that failed (the server logs it), if one was sent.
    request_id = None

    def __init__(self, message, status=None, body=None):
        super().__init__(message)
        if status is not None:
            self.status = status
        self.body = body


class BadRequest(QaironError):
    """400: the server refused the input as malformed."""

    status = 400


class InvalidInput(BadRequest):
    """Input refused before any request: unknown resource or field, bad JSON text."""

    status = None


class Unauthorized(QaironError):
    """401/403: missing or insufficient credentials."""

    status = 403


class NotFound(QaironError):
    """404: an unknown ID or route."""

    status = 404


class Conflict(QaironError):
    """409: already exists, overlap, isolation, children exist, no free block."""

    status = 409


class RuleError(QaironError):
    """422: a rule of the model was broken (e.g. an unknown reference)."""

    status = 422


class AllocationError(Conflict):
    """409 from a subnet allocation: no free block of the asked size."""


class ServerError(QaironError):
    """5xx, or a response that is not the JSON the contract promises."""

    status = 500


class ConnectionFailed(QaironError):
    """The server could not be reached or did not answer in time."""


_BY_STATUS = {400: BadRequest, 401: Unauthorized, 403: Unauthorized, 404: NotFound,
              409: Conflict, 422: RuleError}


def error_for(status, body, fallback):
    """Build the typed exception for an HTTP error ``status`` and its JSON ``body``."""
    detail = None
    if isinstance(body, dict):
        errors = body.get("errors")
        if isinstance(errors, list) and errors and isinstance(errors[0], dict):
            body = errors[0]
        detail = body.get("detail") or body.get("title") or body.get("message")
    message = detail or fallback
    cls = _BY_STATUS.get(status)
    if cls is None:
        cls = ServerError if status >= 500 else QaironError
    return cls(message, status=status, body=body)


def endpoint_problem(endpoint):
    """Why ``endpoint`` (``QAIRON_ENDPOINT`` or ``--endpoint``) is not a server URL, or None."""
    parts = urlsplit(endpoint)
    if "://" not in endpoint:
        return (f"endpoint {endpoint!r} is not a URL: give the scheme too, e.g. "
                f"http://{endpoint} (QAIRON_ENDPOINT or --endpoint)")
    if parts.scheme not in ("http", "https"):
        return f"endpoint {endpoint!r}: the scheme must be http or https"
    try:
        port = parts.port
    except ValueError:
        port = -1
    if port == -1:
        return f"endpoint {endpoint!r}: the port is not a number from 0 to 65535"
    if not parts.hostname:
        return f"endpoint {endpoint!r} names no host, e.g. http://127.0.0.1:5000"
    return None


def _header(response, name):
    """A response header, or None (a stand-in response may carry no headers)."""
    headers = getattr(response, "headers", None)
    return headers.get(name) if headers is not None else None


def quote_id(resource_id):
    """Quote an ID for a URL path; ``:`` and ``/`` stay as they are."""
    return quote(str(resource_id), safe=":/@")


class Client:
    """A session bound to one endpoint; methods return decoded JSON.

    ``endpoint`` and ``token`` default to ``$QAIRON_ENDPOINT``/``$QAIRON_TOKEN``
    and then to the config file (:mod:`qairon_qcli.config`); ``token=""`` sends
    none. The token goes in an ``Authorization: Bearer`` header.
    """

    def __init__(self, endpoint=None, timeout=None, session=None, token=None):
        if endpoint is None or token is None:
            from qairon_qcli.config import load
            settings = load(os.environ)
            endpoint = endpoint or settings.endpoint
            token = settings.token if token is None else token
        raw = (endpoint or DEFAULT_ENDPOINT).strip()
        self.endpoint = raw.rstrip("/") if "://" in raw.rstrip("/") else raw
        self.token = token or None
        self.timeout = timeout or DEFAULT_TIMEOUT
        self._session = session
        self._checked = False
        #: Read as the database stood at this moment (``as_of`` on every GET), or None.
        self.as_of = None
        #: The primary's WAL position after this client's last write (read-your-writes).
        self.read_after = None

    def check_endpoint(self):
        """Refuse an endpoint that is not an http(s) URL, before any request is sent."""
        if not self._checked:
            problem = endpoint_problem(self.endpoint)
            if problem:
                raise InvalidInput(problem)
            self._checked = True
        return self.endpoint

    @property
    def session(self):
        """The ``requests.Session``, created on first use."""
        if self._session is None:
            import requests
            self._session = requests.Session()
            self._session.headers["Accept"] = "application/json"
            if self.token:
                self._session.headers["Authorization"] = f"Bearer {self.token}"
        return self._session

    def url(self, *parts):
        """Absolute URL of ``/api/<parts...>``."""
        return self.check_endpoint() + "/api/" + "/".join(parts)

    def request(self, method, url, params=None, body=None, data=None, headers=None,
                read_timeout=None, answers=None):
        """Send one request and return the decoded JSON body.

        ``body`` is sent as JSON; ``data`` instead streams a body (bytes, or an
        iterable of bytes) with the given ``headers``. ``read_timeout`` replaces
        the read timeout for this request. ``answers(payload)`` may accept the
        JSON of an error reply as the result (a bulk report listing bad rows).
        Raises the typed error of the response status, :class:`ConnectionFailed`
        when the server cannot be reached, :class:`ServerError` on non-JSON.
        """
        import requests
        url = urljoin(self.check_endpoint() + "/", url)
        request_id = uuid.uuid4().hex
        headers = {**(headers or {}), REQUEST_ID: request_id}
        if self.read_after is None:
            self.read_after = positions.recall(self.endpoint)
        if self.read_after:
            headers[positions.READ_AFTER] = self.read_after
        if self.as_of and method == "GET" and "as_of=" not in url:
            params = dict(params or {}, as_of=self.as_of)
        timeout = self.timeout if read_timeout is None else (self.timeout[0], read_timeout)
        try:
            response = self.session.request(method, url, params=params, json=body, data=data,
                                            headers=headers, timeout=timeout)
        except requests.exceptions.Timeout:
            raise ConnectionFailed(f"no answer from {self.endpoint} within "
                                   f"{timeout[1]:g}s") from None
        except requests.exceptions.ConnectionError as exc:
            raise ConnectionFailed(f"cannot reach {self.endpoint}: "
                                   f"{_reason(exc)}") from None
        position = _header(response, positions.COMMIT)
        if position:
            self.read_after = position
            positions.remember(self.endpoint, position)
        try:
            payload = response.json() if response.content else None
        except ValueError:
            payload = None
            if response.ok:
                raise ServerError(f"{method} {url}: response is not JSON "
                                  f"(HTTP {response.status_code})",
                                  status=response.status_code) from None
        if not response.ok and not (answers is not None and answers(payload)):
            error = error_for(response.status_code, payload,
                              f"{method} {url}: HTTP {response.status_code} {response.reason}")
            error.request_id = _header(response, REQUEST_ID) or request_id
            raise error
        return payload

    def iter_pages(self, url, params=None):
        """Yield the ``results`` of a list envelope page by page, following ``next``.

        ``params`` apply to the first page only; ``next`` URLs are complete.
        """
        while url:
            page = self.request("GET", url, params=params)
            if isinstance(page, list):
                yield from page
                return
            if not isinstance(page, dict) or "results" not in page:
                raise ServerError(f"GET {url}: expected a list envelope")
            yield from page["results"]
            url, params = page.get("next"), None

    # --- resource operations ---------------------------------------------

    def list(self, plural, params=None):
        """Iterate every object of a collection (lazily, page by page)."""
        return self.iter_pages(self.url(plural), dict(params or {}, limit=PAGE_SIZE))

    def query(self, plural, filters):
        """Iterate the objects matching Flask-Restless ``filters`` (list or object)."""
        return self.iter_pages(self.url(plural), {"filter": json.dumps(filters),
                                                  "limit": PAGE_SIZE})

    def get(self, plural, resource_id):
        """One object by ID."""
        return self.request("GET", self.url(plural, quote_id(resource_id)))

    def create(self, plural, fields):
        """POST a new object; return it."""
        return self.request("POST", self.url(plural), body=fields)

    def update(self, plural, resource_id, fields):
        """PATCH fields of an object; return it."""
        return self.request("PATCH", self.url(plural, quote_id(resource_id)), body=fields)

    def delete(self, plural, resource_id, cascade=False):
        """DELETE an object; return the ``{"deleted": {...}}`` counts."""
        params = {"cascade": "true"} if cascade else None
        return self.request("DELETE", self.url(plural, quote_id(resource_id)), params=params)

    def get_field(self, plural, resource_id, field):
        """GET a field: a scalar value, a to-one object/None, or a list envelope page."""
        return self.request("GET", self.url(plural, quote_id(resource_id), field))

    def iter_field(self, plural, resource_id, field):
        """Iterate a to-many relation page by page."""
        return self.iter_pages(self.url(plural, quote_id(resource_id), field),
                               {"limit": PAGE_SIZE})

    def continue_pages(self, first_page):
        """Yield the results of an already fetched envelope, then of its next pages."""
        yield from first_page.get("results", [])
        if first_page.get("next"):
            yield from self.iter_pages(first_page["next"])

    def link(self, plural, resource_id, relation, other_id):
        """Add one many-to-many link; return the owner."""
        return self.request("POST", self.url(plural, quote_id(resource_id), relation),
                            body={"id": other_id})

    def unlink(self, plural, resource_id, relation, other_id):
        """Remove one many-to-many link; return the server's answer."""
        return self.request("DELETE", self.url(plural, quote_id(resource_id), relation),
                            params={"id": other_id})

    def act(self, method, path, params=None, body=None, allocates=False):
        """Call an action route (``path`` under ``/api/``, from the schema).

        When the action ``allocates``, a 409 is an :class:`AllocationError`.
        """
        try:
            return self.request(method, self.url(path), params=params, body=body)
        except Conflict as exc:
            if not allocates:
                raise
            raise AllocationError(str(exc), status=exc.status, body=exc.body) from None

    def whoami(self):
        """Who the server takes this client for: token name, role, environments."""
        return self.request("GET", self.url("whoami"))


def _reason(exc):
    """A short human reason for a requests ConnectionError."""
    text = str(exc).lower()
    for needle, reason in (("refused", "connection refused"),
                           ("name or service not known", "unknown host"),
                           ("nodename nor servname", "unknown host"),
                           ("temporary failure in name resolution", "unknown host"),
                           ("timed out", "timed out"),
                           ("no route", "no route to host"),
                           ("reset", "connection reset")):
        if needle in text:
            return reason
    return "connection failed"
