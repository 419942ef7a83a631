"""Every Qairon resource, registered in :data:`REGISTRY` by its name."""
import qairon.models.application  # noqa: F401  (each module registers its resources)
import qairon.models.capacity  # noqa: F401
import qairon.models.configuration  # noqa: F401
import qairon.models.infrastructure  # noqa: F401
import qairon.models.lifecycle  # noqa: F401
import qairon.models.network  # noqa: F401
from qairon.models.base import REGISTRY, Resource  # noqa: F401


def dependency_order():
    """Resource names, each after every resource its required references point to.

    Bulk import applies rows in this order; the schema exports it (``order``)
    so that qcli sorts a directory of CSV files the same way.
    """
    order, visiting = [], set()

    def visit(name):
        if name in order or name in visiting:
            return
        visiting.add(name)
        cls = REGISTRY[name]
        for field, target in sorted(cls.references().items()):
            if not cls.__table__.columns[field].nullable and target != name:
                visit(target)
        visiting.discard(name)
        order.append(name)

    for name in sorted(REGISTRY):
        visit(name)
    return order


def by_plural(plural):
    """The model class of a plural URL segment, or None."""
    for cls in REGISTRY.values():
        if cls.plural == plural:
            return cls
    return None
