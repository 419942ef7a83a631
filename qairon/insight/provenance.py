"""Lateral, provenance and lineage walks: fixed paths of relation names.

Each walk is a nested *spec* of relation names (``{"current_release":
{"release_artifacts": {"output_repo": {}}}}``): every relation of the spec is
eager-loaded (:func:`qairon.api.serialize.eager_loads`) and nested into the
plain objects by the one serialiser (:func:`qairon.api.serialize.to_dict`), so a
walk costs one query per relation of its spec, whatever the number of artifacts
or repos.
"""
from sqlalchemy import select

from qairon.api.serialize import eager_loads, to_dict
from qairon.core import walk as trace
from qairon.core.errors import does_not_exist
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


def load(resource, object_id, spec):
    """The object with every relation of ``spec`` loaded (one query per relation), or 404."""
    cls = REGISTRY[resource]
    obj = db.session.execute(select(cls).where(cls.id == object_id)
                             .options(*eager_loads(cls, spec))).scalar_one_or_none()
    if obj is None:
        raise does_not_exist(resource, object_id)
    return obj


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
    doc = to_dict(obj, PROVENANCE)
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
    doc = to_dict(load(resource, artifact_id, spec), spec)
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
        raise does_not_exist(cls.resource, deployment_id)
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
