"""Routes of the actions the models declare (``Resource.actions``), registered in a loop.

An item action ``name`` is served at ``/api/<plural>/<id>/<name>`` for every
resource that declares it, and refused with a 404 saying where it is served
for the others; a collection action at ``/api/<path>``. Each route calls the
declared view (``module:function``) with the resource class, and the object
ID for an item action. The routes carry a static suffix, so they win over the
plain face's ``/api/<plural>/<path:rest>`` — except when the whole path is the
ID of an object (IDs may contain ``/``): that object is answered
(:mod:`qairon.api.detail`).
"""
from importlib import import_module

from flask import Blueprint

from qairon.api.detail import whole_path_object
from qairon.api.plain import model_for
from qairon.core.errors import NotFound
from qairon.models import REGISTRY
from qairon.models.declarations import COLLECTION


def resolve(view):
    """The function named by ``module:function``."""
    module, _, name = view.partition(":")
    return getattr(import_module(module), name)


def declared_actions():
    """``(cls, action)`` for every action of every resource, resources sorted by name."""
    return [(REGISTRY[name], action) for name in sorted(REGISTRY)
            for action in REGISTRY[name].actions]


def served_at(name):
    """Where the item action ``name`` is served, as a sentence."""
    places = [f"/api/{cls.plural}/<id>/{name}" for cls, action in declared_actions()
              if action.name == name and action.scope != COLLECTION]
    return f"{name} is served at {' and '.join(places)}"


def _item_view(name, method):
    def view(plural, object_id):
        cls = model_for(plural)
        shadowed = whole_path_object(cls, plural, object_id, name) if method == "GET" else None
        if shadowed is not None:
            return shadowed
        action = cls.action(name)
        if action is None or action.scope == COLLECTION or action.method != method:
            raise NotFound(served_at(name), field="resource")
        return resolve(action.view)(cls, object_id)
    view.__name__ = f"{name}_{method.lower()}"
    return view


def _collection_view(cls, action):
    view_function = resolve(action.view)

    def view():
        return view_function(cls)
    view.__name__ = f"{cls.resource}_{action.name}"
    return view


def blueprint():
    """A blueprint with one route per declared item action name and per collection action."""
    bp = Blueprint("actions", __name__, url_prefix="/api")
    routed = set()
    for cls, action in declared_actions():
        resolve(action.view)  # a declaration naming a missing view fails at start-up
        if action.scope == COLLECTION:
            bp.add_url_rule("/" + action.url_path(cls.plural), methods=[action.method],
                            view_func=_collection_view(cls, action))
        elif (action.name, action.method) not in routed:
            routed.add((action.name, action.method))
            bp.add_url_rule(f"/<plural>/<path:object_id>/{action.name}",
                            methods=[action.method],
                            view_func=_item_view(action.name, action.method))
    return bp
