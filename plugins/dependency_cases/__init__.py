"""The ``dependency_cases`` plugin: the older Qairon's dependencies, as its client sends them.

Enable it with ``QAIRON_PLUGINS=dependency_cases`` (not together with
``dependencies``: both serve a ``dependency`` resource). It declares the older
plugin's four resources (:mod:`.models`) — ``dependency_case``, ``relatable``,
``dependency`` and ``related`` — with their migration (``migrations/versions``),
so that client's ``dependency`` commands and scripts work unchanged and
``flask import-upstream`` brings their rows along; makes ``trace`` and ``impact``
follow them (:mod:`.edges`); and keeps an object from being deleted while a row
names it (a pipeline hook).
"""
from . import models  # noqa: F401  (the resources join the registry on import)


def init_app(app):
    """Walk edges and the pipeline hook of the plugin."""
    from qairon import pipeline
    from qairon.insight.walks import add_edges

    from . import edges
    add_edges(app, edges.up, edges.down)
    pipeline.add_hook(app, "derive", edges.keep_objects)
