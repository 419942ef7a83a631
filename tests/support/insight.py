"""Helpers of the insight suites: statement counting and a world with a large fan-out."""
from qairon.extensions import db
from qairon.models import REGISTRY
from tests.support.sqlcount import QueryCounter  # noqa: F401  (re-exported)
from tests.support.world import BUILD, DPROC, FLEET, IMAGE_REPO, PROC, SERVICE, SOURCE_REPO, TARGET, TEMPLATE


def statements(client, url):
    """How many statements one GET of ``url`` costs (from a cold session)."""
    db.session.remove()
    with QueryCounter() as counter:
        response = client.get(url)
    assert response.status_code == 200, response.get_json()
    return counter.count


def add_all(resource, rows):
    """Create objects through the model layer in one flush (the rules still run)."""
    db.session.add_all(REGISTRY[resource](**fields) for fields in rows)
    db.session.flush()


def grow(count, prefix="t"):
    """Add ``count`` deployments of the seed's service on the seed's target, each with a
    current release, a release artifact, a deployment proc, a LOW cpu allocation and a
    config: the shape of the seed's deployment, ``count`` times over. One flush per
    resource keeps building hundreds of them quick."""
    tags = [f"{prefix}{i}" for i in range(count)]
    deps = [f"{TARGET}:{SERVICE}:{tag}" for tag in tags]
    add_all("deployment", [dict(deployment_target_id=TARGET, service_id=SERVICE, tag=tag)
                           for tag in tags])
    add_all("release", [dict(build_id=BUILD, deployment_id=dep, build_num="1")
                        for dep in deps])
    add_all("release_artifact", [dict(release_id=dep + ":1", input_repo_id=SOURCE_REPO,
                                      output_repo_id=IMAGE_REPO,
                                      name="chart", upload_path=f"s3://charts/{dep}.tgz")
                                 for dep in deps])
    add_all("deployment_proc", [dict(deployment_id=dep, proc_id=PROC)
                                for dep in deps])
    add_all("allocation", [dict(deployment_proc_id=dep + ":web", allocation_type_id="cpu",
                                watermark="LOW", value=0.1) for dep in deps])
    add_all("deployment_config", [dict(deployment_id=dep, config_template_id=TEMPLATE,
                                       name="base", config="{}") for dep in deps])
    db.session.commit()
    for dep in deps:
        db.session.get(REGISTRY["deployment"], dep).current_release_id = dep + ":1"
    db.session.commit()
    db.session.remove()
    return deps


def link_target_to_fleet(client):
    """The seed's target runs on the seed's fleet."""
    response = client.post(f"/api/deployment_targets/{TARGET}/fleets", json={"id": FLEET})
    assert response.status_code == 200, response.get_json()


__all__ = ["DPROC", "QueryCounter", "add_all", "grow", "link_target_to_fleet", "statements"]
