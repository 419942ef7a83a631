"""Every Qairon resource, registered in :data:`REGISTRY` by its name."""
import qairon.models.application  # noqa: F401  (each module registers its resources)
import qairon.models.capacity  # noqa: F401
import qairon.models.configuration  # noqa: F401
import qairon.models.infrastructure  # noqa: F401
import qairon.models.lifecycle  # noqa: F401
import qairon.models.network  # noqa: F401
from qairon.models.base import REGISTRY, Resource  # noqa: F401


def by_plural(plural):
    """The model class of a plural URL segment, or None."""
    for cls in REGISTRY.values():
        if cls.plural == plural:
            return cls
    return None
