"""Every Qairon resource, registered in :data:`REGISTRY` by its name."""
from . import application, capacity, configuration, infrastructure, lifecycle, network  # noqa: F401,E401
from .base import REGISTRY, Resource  # noqa: F401


def resource_class(name):
    """The model class of a resource name, or None."""
    return REGISTRY.get(name)


def by_plural(plural):
    """The model class of a plural URL segment, or None."""
    for cls in REGISTRY.values():
        if cls.plural == plural:
            return cls
    return None
