"""argcomplete completers: IDs are completed by prefix from the server, bounded.

Enable in bash with ``eval "$(register-python-argcomplete qcli)"``.
"""
import json
import os

COMPLETION_LIMIT = 50
COMPLETION_TIMEOUT = (1.0, 2.0)


def id_prefix_filter(prefix):
    """The ``filter`` parameter that selects IDs starting with ``prefix``.

    ``_`` and ``%`` in a prefix are LIKE wildcards; results are re-checked with
    ``startswith`` so they only widen the server's answer.
    """
    return json.dumps([{"name": "id", "op": "like", "val": prefix + "%"}])


class Completers:
    """Builds ID completers for an endpoint taken from the parsed arguments."""

    def __init__(self, schema, environ=None):
        self.schema = schema
        self.environ = environ if environ is not None else os.environ

    def ids(self, resource):
        """A completer of IDs of ``resource``."""
        def complete(prefix, parsed_args=None, **_):
            return self.fetch_ids(resource, prefix, getattr(parsed_args, "endpoint", None))
        return complete

    def fetch_ids(self, resource, prefix, endpoint=None):
        """Up to :data:`COMPLETION_LIMIT` IDs of ``resource`` starting with ``prefix``."""
        from qairon_qcli.client import Client, QaironError
        params = {"filter": id_prefix_filter(prefix), "limit": COMPLETION_LIMIT}
        try:
            client = Client(endpoint or self.environ.get("QAIRON_ENDPOINT"),
                            timeout=COMPLETION_TIMEOUT)
            page = client.request("GET", client.url(self.schema.plural(resource)),
                                  params=params)
        except QaironError:
            return []
        results = page.get("results", []) if isinstance(page, dict) else []
        return [obj["id"] for obj in results if str(obj.get("id", "")).startswith(prefix)]


def comp_words(environ):
    """The words typed so far on a completion request (without the program name)."""
    import shlex
    line = environ.get("COMP_LINE", "")
    point = int(environ.get("COMP_POINT", len(line)))
    try:
        words = shlex.split(line[:point])
    except ValueError:
        words = line[:point].split()
    return words[1:]
