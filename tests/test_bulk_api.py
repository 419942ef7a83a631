"""The bulk import endpoints, as curl uses them, on SQLite and PostgreSQL."""
import json

import pytest

from tests.server.helpers import build_world, counts
from tests.support.world import NET

NDJSON = {"Content-Type": "application/x-ndjson"}


def bulk(client, path, body, query="", headers=None):
    """POST a JSON (or raw text) body to ``/api/<path>``; return (status, body)."""
    data = body if isinstance(body, (str, bytes)) else json.dumps(body)
    response = client.post(f"/api/{path}{query}", data=data,
                           headers=headers or {"Content-Type": "application/json"})
    return response.status_code, response.get_json()


def stacks(n, app="ecommerce"):
    return [{"application_id": app, "name": f"s{i}"} for i in range(n)]


def test_creates_all_rows_in_one_request(client):
    status, report = bulk(client, "bulk", [{"resource": "application", "name": "ecommerce"}]
                          + [dict(s, resource="stack") for s in stacks(5)])
    assert status == 200, report
    assert report["created"] == 6 and report["committed"] and report["errors"] == []
    assert report["resources"]["stack"]["created"] == 5
    assert counts()["stack"] == 5


def test_object_form_and_bare_list_and_json_lines_are_the_same(client):
    bulk(client, "applications/bulk", {"objects": [{"name": "ecommerce"}]})
    status, report = bulk(client, "stacks/bulk", stacks(2))
    assert status == 200 and report["created"] == 2
    lines = "\n".join(json.dumps(s) for s in stacks(4)) + "\n"
    status, report = bulk(client, "stacks/bulk", lines, headers=NDJSON)
    assert status == 200, report
    assert (report["created"], report["unchanged"]) == (2, 2)


def test_dry_run_validates_everything_and_writes_nothing(client):
    build_world(client)
    before = counts()
    body = {"objects": stacks(3) + [{"application_id": "nope", "name": "x"}], "dry_run": True}
    status, report = bulk(client, "stacks/bulk", body)
    assert status == 422
    assert report["dry_run"] and not report["committed"]
    assert report["would_create"] == 3 and report["created"] == 0
    assert [e["index"] for e in report["errors"]] == [3]
    status, report = bulk(client, "stacks/bulk", stacks(3), query="?dry_run=true")
    assert status == 200 and report["would_create"] == 3 and not report["committed"]
    assert report["created"] == 0 and report["resources"]["stack"]["would_create"] == 3
    assert counts() == before


def test_every_bad_row_is_reported_and_nothing_is_written(client, app):
    app.config["BULK_CHUNK_SIZE"] = 4
    try:
        bulk(client, "applications/bulk", [{"name": "ecommerce"}])
        rows = stacks(15)
        rows[1]["application_id"] = "ecomerce"
        rows[12] = {"application_id": "ecommerce", "name": "bad:name"}
        rows[13]["defaults"] = [1, 2]
        status, report = bulk(client, "stacks/bulk", rows)
    finally:
        app.config.pop("BULK_CHUNK_SIZE")
    assert status == 422
    errors = {e["index"]: e for e in report["errors"]}
    assert sorted(errors) == [1, 12, 13]
    assert errors[1]["field"] == "application_id" and errors[1]["value"] == "ecomerce"
    assert "does not exist" in errors[1]["detail"] and errors[1]["status"] == 422
    assert errors[12]["field"] == "name" and errors[13]["field"] == "defaults"
    assert report["would_create"] == 12 and report["created"] == 0
    assert report["error_count"] == 3 and report["errors_omitted"] == 0
    assert counts()["stack"] == 0


def test_rows_refer_to_rows_of_the_same_request(client):
    objects = [dict(s, resource="stack") for s in stacks(2)] + [
        {"resource": "service", "stack_id": "ecommerce:s0", "name": "api"},
        {"resource": "application", "name": "ecommerce"}]
    status, report = bulk(client, "bulk", {"objects": objects})
    assert status == 200, report
    assert counts()["service"] == 1
    lines = [{"resource": "application", "name": "search"},
             {"resource": "stack", "application_id": "search", "name": "web"},
             {"resource": "service", "stack_id": "search:web", "name": "crawler"}]
    status, report = bulk(client, "bulk", "\n".join(map(json.dumps, lines)), headers=NDJSON)
    assert status == 200 and report["created"] == 3


def test_json_cells_are_kept(client):
    defaults = {"recon": {"jq": ".items[] | {a: .b}"}, "list": [1, "two"], "n": None}
    status, _ = bulk(client, "applications/bulk", [{"name": "app", "defaults": defaults}])
    assert status == 200
    assert client.get("/api/applications/app").get_json()["defaults"] == defaults


def test_reimport_is_idempotent_and_update_patches(client):
    rows = [{"name": "ecommerce", "defaults": {"owner": "a"}}, {"name": "search"}]
    assert bulk(client, "applications/bulk", rows)[0] == 200
    status, report = bulk(client, "applications/bulk", rows)
    assert status == 200 and report["unchanged"] == 2 and report["created"] == 0
    changed = [{"name": "ecommerce", "defaults": {"owner": "b"}}, {"name": "new"}]
    status, report = bulk(client, "applications/bulk", changed)
    assert status == 422
    assert report["errors"][0]["field"] == "defaults" and "update" in report["errors"][0]["detail"]
    assert counts()["application"] == 2
    status, report = bulk(client, "applications/bulk", {"objects": changed, "update": True})
    assert status == 200 and (report["updated"], report["created"]) == (1, 1)
    assert client.get("/api/applications/ecommerce").get_json()["defaults"] == {"owner": "b"}


def test_a_row_given_twice_is_refused(client):
    status, report = bulk(client, "applications/bulk", [{"name": "a"}, {"name": "a"}])
    assert status == 422
    assert report["errors"][0]["index"] == 1 and "twice" in report["errors"][0]["detail"]


def test_subnets_of_one_batch_may_not_overlap_each_other(client):
    build_world(client)
    before = counts()
    rows = [{"network_id": NET, "name": "a", "cidr": "10.0.8.0/22"},
            {"network_id": NET, "name": "b", "cidr": "10.0.10.0/24"},
            {"network_id": NET, "name": "c", "cidr": "10.0.2.0/24"},
            {"network_id": NET, "name": "d", "cidr": "10.0.12.0/22"}]
    status, report = bulk(client, "subnets/bulk", rows)
    assert status == 422
    assert [(e["index"], e["field"]) for e in report["errors"]] == [(1, "cidr"), (2, "cidr")]
    assert "overlaps" in report["errors"][0]["detail"]
    assert counts() == before


def test_environment_isolation_holds_in_a_batch(client):
    objects = [{"resource": "environment", "name": n} for n in ("prod", "staging")] + [
        {"resource": "provider_type", "name": "aws"},
        {"resource": "provider", "environment_id": "prod", "provider_type_id": "aws",
         "native_id": "1"},
        {"resource": "provider", "environment_id": "staging", "provider_type_id": "aws",
         "native_id": "1"}]
    status, report = bulk(client, "bulk", objects)
    assert status == 422
    assert [(e["index"], e["field"]) for e in report["errors"]] == [(4, "native_id")]
    assert counts()["environment"] == 0


@pytest.mark.parametrize("body, field", [
    ("not json", "body"), ({"objects": "x"}, "objects"), ({"rows": []}, "objects"),
    ({"objects": [], "dry_run": "maybe"}, "dry_run")])
def test_malformed_bodies_are_400(client, body, field):
    status, error = bulk(client, "stacks/bulk", body)
    assert status == 400 and error["source"]["field"] == field


def test_malformed_entries_are_row_errors(client):
    status, report = bulk(client, "bulk", [{"resource": "nope", "name": "x"}, 7,
                                           {"resource": "application", "name": "a", "x": 1}])
    assert status == 422
    assert [(e["index"], e["field"]) for e in report["errors"]] == [
        (0, "resource"), (1, "objects"), (2, "x")]
    status, report = bulk(client, "applications/bulk", '{"name": "a"}\n{oops\n', headers=NDJSON)
    assert status == 422 and report["errors"][0]["index"] == 1
    assert counts()["application"] == 0


def test_unknown_plural_is_404_and_an_object_named_bulk_is_still_reachable(client):
    assert bulk(client, "nothings/bulk", [])[0] == 404
    assert bulk(client, "applications/bulk", [{"name": "bulk"}])[0] == 200
    assert client.get("/api/applications/bulk").get_json()["id"] == "bulk"
