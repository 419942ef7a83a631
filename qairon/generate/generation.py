"""Rendering templates for objects: one object (``render``) or all a template applies to.

The answers are plain values the views return as JSON: each rendering has the
template, the object, its output path (when the template has a ``path``) and
the text, which always ends with one newline so that generated files are
byte-identical from one run to the next.
"""
from sqlalchemy import select

from qairon.api.query import build_query
from qairon.core.errors import Conflict, RuleError
from qairon.generate.checks import safe_path, template_filters
from qairon.generate.context import contexts, load_options
from qairon.generate.render import render_text
from qairon.models import REGISTRY
from qairon.models.lookup import fetch, missing


def _template(session, template_id):
    return fetch(session, REGISTRY["config_template"], template_id, field="template")


def _rendering(template, obj, context):
    text = render_text(template.id, "doc", template.doc, context)
    path = None
    if template.path:
        path = safe_path(template.id, render_text(template.id, "path", template.path, context))
    return {"template": template.id, "resource": obj.resource, "id": obj.id, "path": path,
            "text": text.rstrip("\n") + "\n"}


def render_one(session, cls, object_id, template_id):
    """``template_id`` rendered for the object ``object_id`` of ``cls``."""
    template = _template(session, template_id)
    if template.applies_to is not None and template.applies_to != cls.resource:
        raise RuleError(f"config_template {template.id!r} applies to {template.applies_to}, "
                        f"not {cls.resource}", field="template")
    obj = session.scalars(select(cls).where(cls.id == object_id)
                          .options(*load_options(cls))).first()
    if obj is None:
        raise missing(session, cls, object_id)
    return _rendering(template, obj, contexts(session, [obj])[obj.id])


def generate_all(session, template_id, object_id=None):
    """Every rendering of ``template_id``: one per object it applies to, sorted by path."""
    template = _template(session, template_id)
    if template.applies_to is None or not template.path:
        raise RuleError(f"config_template {template.id!r} needs applies_to and path to be "
                        f"generated (it can still be rendered for one object)",
                        field="applies_to" if template.applies_to is None else "path")
    cls = REGISTRY[template.applies_to]
    query = build_query(session, cls, template_filters(template))
    if object_id is not None:
        query = query.filter(cls.id == object_id)
    objects = query.options(*load_options(cls)).all()
    by_id = contexts(session, objects)
    out, paths = [], {}
    for obj in sorted(objects, key=lambda o: o.id):
        rendering = _rendering(template, obj, by_id[obj.id])
        if rendering["path"] in paths:
            raise Conflict(f"config_template {template.id!r} renders {obj.resource} "
                           f"{paths[rendering['path']]!r} and {obj.id!r} to the same path "
                           f"{rendering['path']!r}", field="path")
        paths[rendering["path"]] = obj.id
        out.append(rendering)
    return {"template": template.id, "resource": cls.resource,
            "renderings": sorted(out, key=lambda r: r["path"])}
