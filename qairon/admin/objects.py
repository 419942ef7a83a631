"""What the object page shows, read generically from the registry and the declarations.

Each function answers one part of the page with a bounded number of
statements: the ancestors of the ID (one primary-key read per level), the
children and links with their counts (one count per referencing column or
link table), the effective defaults, the declared walks and panels (the
declared actions' own views, so the page shows what the API answers), the
history and the state at a moment.
"""
from importlib import import_module

from sqlalchemy import func, inspect, literal, select, union_all

from qairon.core.errors import QaironError
from qairon.core.ids import is_reference
from qairon.extensions import db
from qairon.history import cut, reads
from qairon.insight import defaults as merged
from qairon.models import REGISTRY
from qairon.models.declarations import ITEM
from qairon.pipeline.deletion import referrers

TAB_ROWS = 50
HISTORY_ROWS = 50
#: What an action prints -> how the object page shows its answer.
WALKS = ("walk",)
PANELS = ("capacity", "mapping")


def parent_field(cls):
    """The first reference of the ID recipe: the parent the ID extends, or None."""
    return next((f for f in cls.identity_fields() if is_reference(f)), None)


def ancestors(obj, layers=None):
    """``[(resource, id, text)]`` from the root down to ``obj``, each with the part of the ID
    it adds: the ancestors whose ID the object's ID extends. ``layers`` (the effective
    defaults' layers, which load every ancestor) spare the reads; without them the parents
    are read one level at a time."""
    if layers is None:
        layers = []
        current = obj
        while (field := parent_field(type(current))) is not None:
            current = db.session.get(REGISTRY[current.references()[field]],
                                     getattr(current, field))
            if current is None:
                break
            layers.append({"resource": current.resource, "id": current.id})
    chain = sorted(((layer["resource"], layer["id"]) for layer in layers
                    if obj.id.startswith(layer["id"] + ":")), key=lambda node: len(node[1]))
    out, previous = [], None
    for resource, object_id in [*chain, (obj.resource, obj.id)]:
        text = object_id
        if previous is not None and object_id.startswith(previous + ":"):
            text = object_id[len(previous) + 1:]
        out.append((resource, object_id, text))
        previous = object_id
    return out


def fields(obj, values=None):
    """``[(name, value, referenced resource or None)]`` of every visible column."""
    cls = type(obj)
    references = cls.references()
    values = values if values is not None else {n: getattr(obj, n) for n in cls.column_names()}
    return [(name, values.get(name), references.get(name)) for name in cls.column_names()]


def _children_tabs(obj):
    tabs = []
    for cls, column, _nullable in referrers(obj.resource):
        if cls is type(obj) and column.key == "id":
            continue
        tabs.append({"key": f"{cls.resource}.{column.key}", "resource": cls.resource,
                     "label": cls.plural if parent_field(cls) == column.key
                     else f"{cls.plural} by {column.key}",
                     "kind": "child", "column": column, "cls": cls})
    return tabs


def _link_tabs(obj):
    tabs = []
    cls = type(obj)
    for relation in inspect(cls).relationships:
        table = relation.secondary
        if table is None:
            continue
        mine = next(c for c in table.columns
                    if next(iter(c.foreign_keys)).column.table is cls.__table__)
        other = next(c for c in table.columns if c is not mine)
        target = relation.mapper.class_
        tabs.append({"key": relation.key, "resource": target.resource,
                     "label": relation.key.replace("_", " "), "kind": "link",
                     "assignable": relation.key in cls.links, "table": table,
                     "mine": mine, "other": other})
    return tabs


def relation_tabs(obj):
    """Children (rows whose reference points here) and links, each with its count (one
    statement for all the counts)."""
    tabs = _children_tabs(obj) + _link_tabs(obj)
    if not tabs:
        return tabs
    parts = []
    for index, tab in enumerate(tabs):
        source, column = ((tab["cls"], tab["column"]) if tab["kind"] == "child"
                          else (tab["table"], tab["mine"]))
        parts.append(select(literal(index).label("tab"), func.count().label("n"))
                     .select_from(source).where(column == obj.id))
    for index, n in db.session.execute(union_all(*parts)):
        tabs[index]["count"] = n
    return tabs


def tab_rows(obj, tab):
    """The first IDs of one tab, in ID order."""
    if tab["kind"] == "child":
        cls = tab["cls"]
        query = select(cls.id).where(tab["column"] == obj.id).order_by(cls.id)
    else:
        query = select(tab["other"]).where(tab["mine"] == obj.id).order_by(tab["other"])
    return list(db.session.execute(query.limit(TAB_ROWS)).scalars())


def effective_defaults(obj):
    """The merged defaults with where each key comes from, or the refusal's sentence."""
    try:
        return merged.effective(obj.resource, obj.id, with_explain=True)
    except QaironError as refusal:
        return {"error": refusal.detail}


def _answer(action, cls, object_id):
    module, _, name = action.view.partition(":")
    try:
        response = getattr(import_module(module), name)(cls, object_id)
    except QaironError as refusal:
        return {"error": refusal.detail}
    return response.get_json()


def declared(cls, prints):
    """The item actions of ``cls`` read with GET whose answer prints as one of ``prints``."""
    return [a for a in cls.actions
            if a.scope == ITEM and a.method == "GET" and a.prints in prints]


def walk(obj, name):
    """The answer of the declared walk ``name`` (the first walk when unknown), and its name."""
    walks = declared(type(obj), WALKS)
    action = next((a for a in walks if a.name == name), walks[0] if walks else None)
    if action is None:
        return None, None
    return action.name, _answer(action, type(obj), obj.id)


def panels(obj):
    """``[(action, answer)]`` of the declared capacity and mapping actions (free space...)."""
    return [(a, _answer(a, type(obj), obj.id)) for a in declared(type(obj), PANELS)]


def history(obj):
    """The newest changes of the object (links and former IDs too) and whether more exist."""
    return reads.history(db.session, obj.resource, obj.id, limit=HISTORY_ROWS)


def state_at(obj, moment):
    """``(cut, values or None)``: the object as it was at ``moment`` (a changeset or a time)."""
    point = cut.resolve(db.session, moment)
    return point, reads.state_at(db.session, obj.resource, obj.id, point.change_id)


def cidr_children(obj):
    """``[(resource, id, cidr)]`` of the children that hold an address block (a network's
    subnets): what the free-space panel draws next to the free blocks."""
    out = []
    for cls in REGISTRY.values():
        field = parent_field(cls)
        if field and cls.references()[field] == obj.resource and "cidr" in cls.__table__.columns:
            out += db.session.execute(select(literal(cls.resource), cls.id, cls.cidr)
                                      .where(getattr(cls, field) == obj.id)
                                      .order_by(cls.id)).all()
    return out
