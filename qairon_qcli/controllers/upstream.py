"""The calls of the older (upstream) Qairon's Python module, on our controller.

Its scripts pass ``q``, ``output_format`` and ``output_fields`` to every call,
create from one dictionary (``{"resource": ..., "id": ...}``) and link with
``add_to_collection``/``del_from_collection``; :func:`output_options` and
:class:`UpstreamCalls` take those and call ours. docs/MIGRATING.md lists them.
"""
import copy
import functools

OUTPUT_OPTIONS = ("q", "output_format", "output_fields")
#: What the older CLI filled in when a create left them out.
OPTION_DEFAULTS = (("config", "{}"),)


class Quiet:
    """The output of a call made with ``q=True``: nothing, and None returned."""

    def __getattr__(self, name):
        return lambda *args, **kw: None


def adjusted(output, options):
    """A copy of ``output`` with the call's output options, or :class:`Quiet`."""
    if options.get("q"):
        return Quiet()
    out = copy.copy(output)
    if options.get("output_format"):
        out.output_format = options["output_format"]
    if options.get("output_fields") is not None:
        fields = options["output_fields"]
        out.fields = fields.split(",") if isinstance(fields, str) else list(fields)
    return out


def output_options(method):
    """Let ``method`` take ``q``, ``output_format`` and ``output_fields`` for this call."""
    @functools.wraps(method)
    def call(self, *args, **kw):
        options = {key: kw.pop(key) for key in OUTPUT_OPTIONS if key in kw}
        if not options:
            return method(self, *args, **kw)
        saved = self.output
        self.output = adjusted(saved, options)
        try:
            return method(self, *args, **kw)
        finally:
            self.output = saved
    return call


def upstream_create(schema, given):
    """``(resource, fields)`` from the older module's create dictionary, in our names:
    a catalogue object's ``id`` is its ``name``, an artifact's ``data`` its ``defaults``."""
    fields = {key: value for key, value in given.items() if value is not None}
    resource = fields.pop("resource")
    entry = schema.resource(resource)
    known = set(entry.get("fields", {})) | set(entry.get("options", {}))
    if "id" in fields and "name" in known and "name" not in fields:
        fields["name"] = fields.pop("id")
    if "data" in fields and "data" not in known and "defaults" not in fields:
        fields["defaults"] = fields.pop("data")
    for field, value in OPTION_DEFAULTS:
        if field in entry.get("create", []):
            fields.setdefault(field, value)
    return resource, fields


class UpstreamCalls:
    """``add_to_collection`` and ``del_from_collection`` as the older module named them."""

    @output_options
    def add_to_collection(self, resource, singular_resource, items, owner_id, item_id):
        """Link ``item_id`` (a ``singular_resource``) to ``owner_id``'s ``items``."""
        return self.assign(resource, owner_id, singular_resource, item_id)

    @output_options
    def del_from_collection(self, resource, singular_resource, items, owner_id, item_id):
        """Unlink ``item_id`` from ``owner_id``'s ``items``."""
        return self.unassign(resource, owner_id, singular_resource, item_id)
