"""The older (upstream) Qairon module's lower layers, over the JSON:API face.

:class:`RestController` speaks raw HTTP to ``/api/rest/v1`` as that module did
(``create_resource`` returns the HTTP response, ``list`` and ``query`` yield pages
of JSON:API resource objects); :class:`OperationsController` streams rows from
it; :class:`QaironSchema` gives each resource's create fields. ``requests`` is
imported on first use, through :class:`~qairon_qcli.client.Client`.
"""
import json

from qairon_qcli.client import Client
from qairon_qcli.schema import Schema

JSONAPI = "application/vnd.api+json"
PAGE_SIZE = 100


class RestController:
    """Raw HTTP to the JSON:API face of ``QAIRON_ENDPOINT`` (with ``QAIRON_TOKEN``)."""

    def __init__(self, endpoint=None, client=None):
        self.client = client or Client(endpoint)

    def _url(self, *parts):
        return "/".join([self.client.check_endpoint() + "/api/rest/v1", *parts])

    def _send(self, method, url, **kw):
        headers = {"Content-Type": JSONAPI, "Accept": JSONAPI}
        return self.client.session.request(method, url, headers=headers,
                                           timeout=self.client.timeout, **kw)

    def create_resource(self, args_dict):
        """POST ``{"resource": ..., <fields>}`` as a resource object; the HTTP response."""
        fields = {k: v for k, v in args_dict.items() if k != "resource" and v is not None}
        body = {"data": {"type": args_dict["resource"], "attributes": fields}}
        return self._send("POST", self._url(args_dict["resource"]), data=json.dumps(body))

    def delete_resource(self, resource, resource_id):
        """DELETE one object; the HTTP response."""
        return self._send("DELETE", self._url(resource, resource_id))

    def get_instance(self, resource, resource_id):
        """One resource object (``data``)."""
        return self._send("GET", self._url(resource, resource_id)).json().get("data")

    def get_field(self, resource, resource_id, field):
        """A relation of one object (``data``)."""
        return self._send("GET", self._url(resource, resource_id, field)).json().get("data")

    def _pages(self, url, params):
        params = {**params, "page[size]": PAGE_SIZE}
        while url:
            page = self._send("GET", url, params=params).json()
            yield page.get("data", [])
            url = (page.get("links") or {}).get("next")

    def list(self, resource):
        """Pages of every object of ``resource``."""
        return self._pages(self._url(resource), {})

    def query(self, resource, query=None, **_kw):
        """Pages of the objects matching ``query`` (the JSON text of a filter list)."""
        return self._pages(self._url(resource), {"filter[objects]": query} if query else {})


class OperationsController:
    """Rows, not pages: each call streams the JSON:API objects of :class:`RestController`."""

    def __init__(self, rest=None):
        self.rest = rest or RestController()

    def get(self, resource, resource_id):
        """One object."""
        yield self.rest.get_instance(resource, resource_id)

    def list(self, resource):
        """Every object."""
        for page in self.rest.list(resource):
            yield from page

    def query(self, resource, query=None, **_kw):
        """The objects matching ``query``."""
        for page in self.rest.query(resource, query):
            yield from page


class _CreateFields:
    """``QaironSchema.CREATE_FIELDS``, read from the schema on first use."""

    def __get__(self, _obj, _cls):
        schema = Schema()
        return {name: [*schema.resource(name).get("create", []),
                       *schema.resource(name).get("options", {})] for name in schema.names()}


class QaironSchema:
    """Each resource's create fields, positional first (``CREATE_FIELDS``, ``MODELS``)."""

    CREATE_FIELDS = _CreateFields()

    @property
    def MODELS(self):  # noqa: N802 (the older module's name)
        """The resource names."""
        return list(self.CREATE_FIELDS)
