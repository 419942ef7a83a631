"""``flask --app qairon history baseline|prune``: the start of the history, kept by hand."""
from sqlalchemy import text

from qairon.extensions import db

from .helpers import build_world, patch, post
from .history_helpers import as_of, changeset_of, snapshot


def test_baseline_records_rows_written_outside_the_application(client, runner):
    build_world(client)
    result = runner.invoke(args=["history", "baseline"])
    assert result.exit_code == 0 and "every row is recorded already" in result.output
    db.session.remove()
    db.session.execute(text("INSERT INTO application (id, name, defaults, created_at, "
                            "last_updated_at) VALUES ('raw', 'raw', '{}', "
                            "'2026-01-01 00:00:00', '2026-01-01 00:00:00')"))
    db.session.commit()
    before = client.get("/api/changes?limit=1").get_json()["results"][0]["changeset"]
    result = runner.invoke(args=["history", "baseline"])
    assert result.exit_code == 0 and "1 rows recorded" in result.output, result.output
    after = client.get("/api/changes?limit=1").get_json()["results"][0]
    assert (after["operation"], after["object_id"]) == ("create", "raw")
    shown = client.get(as_of("/api/applications/raw", after["changeset"])).get_json()
    assert shown["name"] == "raw" and shown["defaults"] == {}
    assert client.get(f"/api/changesets/{after['changeset']}").get_json()["kind"] == "baseline"
    assert client.get(as_of("/api/applications/raw", before)).status_code == 404


def test_prune_keeps_the_state_at_the_cut_and_says_when_history_starts(client, runner):
    build_world(client)
    assert patch(client, "environment", "prod", {"defaults": {"v": 1}}).status_code == 200
    assert post(client, "application", {"name": "gone"}).status_code == 201
    assert client.delete("/api/applications/gone").status_code == 200
    cut = changeset_of(patch(client, "environment", "prod", {"defaults": {"v": 2}}))
    urls = ["/api/environments/prod", "/api/applications?limit=1000",
            "/api/services?limit=1000", "/api/applications/gone"]
    kept = snapshot(client, [as_of(u, cut) for u in urls])
    at = client.get(f"/api/changesets/{cut}").get_json()["at"]
    assert patch(client, "environment", "prod", {"defaults": {"v": 3}}).status_code == 200
    result = runner.invoke(args=["history", "prune", "--before", at])
    assert result.exit_code == 0, result.output
    assert "removed" in result.output
    for url, body in kept.items():
        response = client.get(url)
        assert response.get_json() == body or response.status_code == 404 and \
            body["status"] == 404, url
    for moment in (cut - 2, "2001-01-01"):
        refused = client.get(as_of("/api/environments/prod", moment))
        assert refused.status_code == 400 and "before the start" in refused.get_json()["detail"]
    history = client.get("/api/environments/prod/history").get_json()["results"]
    assert [c["operation"] for c in history] == ["update", "update", "create"]
    assert history[-1]["after"]["defaults"] == {"v": 1}
    assert client.get("/api/applications/gone/history").status_code == 404
    result = runner.invoke(args=["history", "prune", "--before", "2001-01-01"])
    assert result.exit_code == 0 and "nothing is recorded before" in result.output
    assert runner.invoke(args=["history", "prune", "--before", "soon"]).exit_code == 2
