"""The configurable bounds of a request's work, read once from the configuration.

Every bound has a default here and a configuration key of the same name
(``instance/qairon.cfg`` or ``QAIRON_<KEY>`` in the environment, e.g.
``QAIRON_MAX_BODY_BYTES=4194304``). :func:`configure` is called by
``create_app``; the rest of the code reads :data:`LIMITS`. The bounds of
names and IDs are not configurable: they are rules of the model
(:mod:`qairon.core.ids`).
"""

DEFAULTS = {
    #: Largest request body read whole (every JSON body, the JSON form of bulk included).
    "MAX_BODY_BYTES": 1 << 20,
    #: Largest streamed body: JSON lines sent to ``/api/bulk`` and ``/api/<plural>/bulk``.
    "BULK_MAX_BODY_BYTES": 512 << 20,
    #: Deepest nesting of arrays and objects in a JSON body or filter text.
    "JSON_MAX_DEPTH": 32,
    #: Largest ``defaults`` object, serialised as compact JSON (UTF-8 bytes).
    "DEFAULTS_MAX_BYTES": 64 << 10,
    #: Deepest nesting inside a ``defaults`` object (``{"a": 1}`` is 1).
    "DEFAULTS_MAX_DEPTH": 20,
    #: Bad rows a bulk import reports one by one; the rest are counted.
    "BULK_MAX_REPORTED_ERRORS": 1000,
    #: Most objects a trace or impact walk may reach before it is refused.
    "WALK_MAX_NODES": 50_000,
}


class Limits:
    """The bounds in force, as attributes named like the keys in lower case."""

    def __init__(self, values=None):
        for key, value in {**DEFAULTS, **(values or {})}.items():
            setattr(self, key.lower(), value)

    def configure(self, config):
        """Take every known key from ``config`` (a mapping); text is read as a whole number."""
        for key, default in DEFAULTS.items():
            raw = config.get(key, default)
            try:
                value = int(raw)
            except (TypeError, ValueError):
                raise ValueError(f"configuration {key} = {raw!r} must be a whole number") from None
            if value < 1:
                raise ValueError(f"configuration {key} = {raw!r} must be at least 1")
            setattr(self, key.lower(), value)


#: The bounds of this process.
LIMITS = Limits()


def configure(config):
    """Set :data:`LIMITS` from an application's configuration."""
    LIMITS.configure(config)
