"""Lateral, provenance and lineage walks: fixed paths of relation names.

Each walk is a nested *spec* of relation names (``{"current_release":
{"release_artifacts": {"output_repo": {}}}}``) read by one generic loader: every
relation of the spec is eager-loaded with ``selectinload``, so a walk costs one
query per relation of its spec, whatever the number of artifacts or repos.
"""
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from qairon.api.serialize import columns_dict
from qairon.core import walk as trace
from qairon.core.errors import NotFound
from qairon.extensions import db
from qairon.models import REGISTRY

REPOS = {"output_repo": {}, "input_repo": {}}

#: Where a deployment's binaries are: its release's artifacts and the build behind it.
PROVENANCE = {"current_release": {"release_artifacts": REPOS,
                                  "build": {"build_artifacts": REPOS}}}

#: What produced an artifact, back to the commit.
LINEAGE = {
    "build_artifact": dict(REPOS, build={}),
    "release_artifact": dict(REPOS, release={"build": {}, "deployment": {}}),
}


def loader_options(cls, spec):
    """``selectinload`` chains for every relation of ``spec`` below ``cls``."""
    options = []
    for name, sub in spec.items():
        attr = getattr(cls, name)
        loader = selectinload(attr)
        options.append(loader)
        options.extend(_chained(loader, attr.property.mapper.class_, sub))
    return options


def _chained(parent_loader, cls, spec):
    out = []
    for name, sub in spec.items():
        attr = getattr(cls, name)
        loader = parent_loader.selectinload(attr)
        out.append(loader)
        out.extend(_chained(loader, attr.property.mapper.class_, sub))
    return out


def load(resource, object_id, spec):
    """The object with every relation of ``spec`` loaded, or 404."""
    cls = REGISTRY[resource]
    obj = db.session.execute(select(cls).where(cls.id == object_id)
                             .options(*loader_options(cls, spec))).scalar_one_or_none()
    if obj is None:
        raise NotFound(f"{resource} {object_id!r} does not exist", field="id")
    return obj


def nested(obj, spec):
    """The plain object with the relations of ``spec`` nested inside it."""
    out = columns_dict(obj)
    for name, sub in spec.items():
        value = getattr(obj, name)
        if value is None:
            out[name] = None
        elif isinstance(value, list):
            out[name] = [nested(item, sub) for item in value]
        else:
            out[name] = nested(value, sub)
    return out


def flatten(doc, spec, depth=1, seen=None):
    """The objects nested in ``doc`` as walk nodes, in document order, each once."""
    seen = set() if seen is None else seen
    seen.add((doc["resource"], doc["id"]))
    nodes = []
    origin = (doc["resource"], doc["id"])
    for name, sub in spec.items():
        value = doc.get(name)
        for item in value if isinstance(value, list) else [value]:
            if item is None:
                continue
            node = (item["resource"], item["id"])
            if node not in seen:
                seen.add(node)
                nodes.append(trace.node_dict(node, depth, name, origin, "up"))
            nodes.extend(flatten(item, sub, depth + 1, seen))
    return nodes


def provenance(deployment_id):
    """The current release of a deployment, its artifacts and repos, the build and commit."""
    obj = load("deployment", deployment_id, PROVENANCE)
    doc = nested(obj, PROVENANCE)
    release = doc["current_release"]
    build = release.pop("build") if release else None
    nodes = flatten({"resource": "deployment", "id": deployment_id, "current_release": release,
                     "build": build},
                    {"current_release": PROVENANCE["current_release"],
                     "build": PROVENANCE["current_release"]["build"]})
    return trace.document("provenance", "deployment", deployment_id, nodes,
                          service_id=obj.service_id,
                          vcs_ref=build["vcs_ref"] if build else None,
                          current_release=release, build=build)


def lineage(resource, artifact_id):
    """An artifact back to its build and commit (and release and deployment)."""
    spec = LINEAGE[resource]
    doc = nested(load(resource, artifact_id, spec), spec)
    nodes = flatten(doc, spec)
    release = doc.pop("release", None)
    build = doc.pop("build", None)
    extra = {}
    if release is not None:
        build = release.pop("build")
        extra["deployment"] = release.pop("deployment")
        extra["release"] = release
    return trace.document("lineage", resource, artifact_id, nodes, artifact=doc,
                          build=build, vcs_ref=build["vcs_ref"], service_id=build["service_id"],
                          **extra)


def neighbours(deployment_id):
    """The other deployments on the same target as ``deployment_id``, with their services."""
    cls = REGISTRY["deployment"]
    target_id = db.session.execute(select(cls.deployment_target_id)
                                   .where(cls.id == deployment_id)).scalar_one_or_none()
    if target_id is None:
        raise NotFound(f"deployment {deployment_id!r} does not exist", field="id")
    rows = db.session.execute(
        select(cls.id, cls.service_id, cls.tag)
        .where(cls.deployment_target_id == target_id, cls.id != deployment_id)
        .order_by(cls.id)).all()
    target = ("deployment_target", target_id)
    nodes = [trace.node_dict(("deployment", r.id), 1, "deployments", target, "down")
             for r in rows]
    services = {}
    for r in rows:
        services.setdefault(r.service_id, r.id)
    nodes += [trace.node_dict(("service", s), 2, "service", ("deployment", d), "up")
              for s, d in sorted(services.items())]
    listed = [{"id": r.id, "service_id": r.service_id, "tag": r.tag} for r in rows]
    return trace.document("neighbours", "deployment", deployment_id, nodes,
                          deployment_target_id=target_id, neighbours=listed)
