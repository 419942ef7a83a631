"""The ``dependencies`` plugin: typed dependency edges between any two objects.

Enable it with ``QAIRON_PLUGINS=dependencies``. It declares two resources
(:mod:`.models`): ``dependency_type`` (which resource may depend on which,
and the cardinality) and ``dependency`` (one edge), with their migration
(``migrations/versions``); makes ``trace`` and ``impact`` follow the edges
(:mod:`.edges`), so that the impact of a service lists the services that
depend on it and their deployments; and keeps an end from being deleted
while an edge names it (a pipeline hook).
"""
from . import models  # noqa: F401  (the resources join the registry on import)


def init_app(app):
    """Walk edges and the pipeline hook of the plugin."""
    from qairon import pipeline
    from qairon.insight.walks import add_edges

    from . import edges
    add_edges(app, edges.up, edges.down)
    pipeline.add_hook(app, "derive", edges.keep_ends)
