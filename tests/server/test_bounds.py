"""Nothing unbounded: body size (bulk streams with their own limit), JSON depth,
``defaults`` size and depth, name and ID length, walk size and bulk error reports,
each a clear 4xx in the one error shape, on SQLite and PostgreSQL."""
import json

import pytest
from sqlalchemy.exc import IntegrityError

from qairon.bulk.report import database_error
from qairon.core.ids import ID_MAX_LENGTH, NAME_MAX_LENGTH, url_length
from qairon.core.limits import DEFAULTS, LIMITS, Limits

from .data import NET
from .helpers import build_world, counts, patch, post
from .test_bad_input import JSON, NDJSON, jsonapi_create, raw_post, refusal

MIB = 1 << 20


def lines(rows):
    return "".join(json.dumps(row) + "\n" for row in rows).encode()


# --- request bodies -----------------------------------------------------------------

def test_a_body_over_max_body_bytes_is_413_naming_body_on_both_faces(client):
    big = json.dumps({"name": "big", "defaults": {"blob": "x" * (MIB + 10)}})
    error = refusal(raw_post(client, "/api/applications", big), 413, "body")
    assert f"{DEFAULTS['MAX_BODY_BYTES']:,}" in error["detail"]
    assert "MAX_BODY_BYTES" in error["detail"]
    body = json.dumps({"data": {"type": "application", "attributes": json.loads(big)}})
    refusal(raw_post(client, "/api/rest/v1/application", body), 413, "body")
    assert counts()["application"] == 0


def test_bulk_streams_have_their_own_limit_and_json_bodies_the_ordinary_one(client,
                                                                            monkeypatch):
    monkeypatch.setattr(LIMITS, "max_body_bytes", 20_000)
    monkeypatch.setattr(LIMITS, "bulk_max_body_bytes", 200_000)
    rows = [{"name": f"app-{i:05d}"} for i in range(1500)]        # about 30 KB
    streamed = raw_post(client, "/api/applications/bulk", lines(rows), NDJSON)
    assert streamed.status_code == 200, streamed.get_json()
    assert streamed.get_json()["created"] == 1500
    error = refusal(raw_post(client, "/api/applications/bulk", json.dumps(rows)), 413, "body")
    assert "JSON lines" in error["detail"] and "20,000" in error["detail"]
    more = [{"name": f"more-{i:06d}"} for i in range(10_000)]     # about 230 KB
    error = refusal(raw_post(client, "/api/applications/bulk", lines(more), NDJSON), 413,
                    "body")
    assert "BULK_MAX_BODY_BYTES" in error["detail"]
    assert counts()["application"] == 1500


@pytest.mark.parametrize("path", ["/api/applications", "/api/rest/v1/application",
                                  "/api/bulk", "/api/applications/bulk",
                                  f"/api/networks/{NET}/allocate_subnet"])
def test_a_body_nested_100k_deep_is_400(client, path):
    refusal(raw_post(client, path, "[" * 100_000 + "]" * 100_000), 400, "body")
    refusal(raw_post(client, path, '{"a": ' * 100_000 + "1" + "}" * 100_000), 400, "body")


def test_json_lines_nested_too_deep_are_bad_rows(client):
    text = '{"name": "ok"}\n' + '{"defaults": ' * 5000 + "1" + "}" * 5000 + "\n"
    response = raw_post(client, "/api/applications/bulk", text, NDJSON)
    report = response.get_json()
    assert response.status_code == 422 and report["error_count"] == 1
    assert report["errors"][0]["index"] == 1 and "nested deeper" in report["errors"][0]["detail"]


def test_json_deeper_than_json_max_depth_is_400_naming_the_field(client):
    deep = {"name": "a", "defaults": {}}
    level = deep["defaults"]
    for _ in range(LIMITS.json_max_depth):
        level["x"] = {}
        level = level["x"]
    error = refusal(post(client, "application", deep), 400, "defaults")
    assert f"deeper than {LIMITS.json_max_depth}" in error["detail"]


# --- defaults ------------------------------------------------------------------------

def nested(depth):
    value = 1
    for _ in range(depth):
        value = {"k": value}
    return value


def test_defaults_size_is_bounded_on_every_path(client):
    limit = LIMITS.defaults_max_bytes
    fits = {"k": "x" * (limit - 8)}                  # {"k":"xxx..."} is exactly the limit
    over = {"k": "x" * (limit - 7)}
    assert post(client, "application", {"name": "fits", "defaults": fits}).status_code == 201
    error = refusal(post(client, "application", {"name": "over", "defaults": over}), 400,
                    "defaults")
    assert f"{limit:,}" in error["detail"] and "DEFAULTS_MAX_BYTES" in error["detail"]
    refusal(patch(client, "application", "fits", {"defaults": over}), 400, "defaults")
    refusal(jsonapi_create(client, "application", {"name": "over", "defaults": over}), 400,
            "defaults")
    report = raw_post(client, "/api/applications/bulk",
                      json.dumps([{"name": "over", "defaults": over}])).get_json()
    assert report["errors"][0]["field"] == "defaults" and report["error_count"] == 1
    assert len(json.dumps(report)) < 2_000          # the huge value is not echoed
    assert counts()["application"] == 1


def test_defaults_depth_is_bounded_on_every_path(client):
    depth = LIMITS.defaults_max_depth
    assert post(client, "application", {"name": "deep", "defaults": nested(depth)}
                ).status_code == 201
    error = refusal(post(client, "application", {"name": "deeper",
                                                 "defaults": nested(depth + 1)}), 400, "defaults")
    assert f"deeper than {depth}" in error["detail"]
    refusal(jsonapi_create(client, "application", {"name": "deeper",
                                                   "defaults": nested(depth + 1)}), 400, "defaults")
    refusal(patch(client, "application", "deep", {"defaults": nested(depth + 1)}), 400,
            "defaults")
    assert counts()["application"] == 1


# --- names and IDs ------------------------------------------------------------------------

def test_a_name_part_is_at_most_name_max_length_characters(client):
    assert post(client, "application", {"name": "a" * NAME_MAX_LENGTH}).status_code == 201
    too_long = "b" * (NAME_MAX_LENGTH + 1)
    error = refusal(post(client, "application", {"name": too_long}), 400, "name")
    assert f"at most {NAME_MAX_LENGTH}" in error["detail"] and too_long not in error["detail"]
    refusal(jsonapi_create(client, "application", {"name": too_long}), 400, "name")
    report = raw_post(client, "/api/bulk", json.dumps(
        [{"resource": "application", "name": too_long}])).get_json()
    assert report["errors"][0]["field"] == "name" and len(report["errors"][0]["value"]) <= 201
    assert counts()["application"] == 1


def test_every_id_stays_addressable_in_a_url(client):
    names = ["a" * 200, "s" * 200, "v" * 200, "p" * 200]
    parent = None
    for resource, field, name in zip(("application", "stack", "service", "proc"),
                                     (None, "application_id", "stack_id", "service_id"), names,
                                     strict=True):
        fields = {"name": name} if parent is None else {field: parent, "name": name}
        response = post(client, resource, fields)
        assert response.status_code == 201, response.get_json()
        parent = response.get_json()["id"]
    service = ":".join(names[:3])
    build = post(client, "build", {"service_id": service, "build_num": "1" * 200,
                                   "vcs_ref": "abc"}).get_json()["id"]
    post(client, "repo_type", {"name": "git"})
    post(client, "repo", {"repo_type_id": "git", "name": "r"})
    artifact = {"build_id": build, "input_repo_id": "git:r", "output_repo_id": "git:r",
                "name": "n" * 200, "upload_path": "p"}
    created = post(client, "build_artifact", artifact).get_json()["id"]
    assert url_length(created) == 1004 <= ID_MAX_LENGTH
    assert client.get(f"/api/build_artifacts/{created}/lineage").status_code == 200
    error = refusal(post(client, "build_artifact", dict(artifact, name="n" * 190 + "é" * 10)),
                    400, "name")
    assert f"at most {ID_MAX_LENGTH:,}" in error["detail"] and "1,054 bytes" in error["detail"]


def test_an_id_is_measured_in_url_bytes(client):
    error = refusal(post(client, "application", {"name": "é" * 200}), 400, "name")
    assert "1,200 bytes" in error["detail"]
    assert post(client, "application", {"name": "é" * 170}).status_code == 201


# --- walks ----------------------------------------------------------------------------------

def test_walks_stop_at_walk_max_nodes(client, monkeypatch):
    build_world(client)
    monkeypatch.setattr(LIMITS, "walk_max_nodes", 5)
    error = refusal(client.get("/api/environments/prod/impact"), 400, "depth")
    assert "more than 5 objects" in error["detail"] and "WALK_MAX_NODES" in error["detail"]
    assert client.get("/api/environments/prod/impact?depth=1").status_code == 200
    refusal(client.get("/api/applications/ecommerce/trace"), 400, "id")
    monkeypatch.setattr(LIMITS, "walk_max_nodes", 50_000)
    assert client.get("/api/applications/ecommerce/trace").status_code == 200


# --- bulk reports -----------------------------------------------------------------------------

def test_bulk_errors_are_capped_and_counted(client, monkeypatch):
    monkeypatch.setattr(LIMITS, "bulk_max_reported_errors", 10)
    rows = [{"name": f"bad:{i}"} for i in range(500)] + [{"name": "good"}]
    response = raw_post(client, "/api/applications/bulk", lines(rows), NDJSON)
    report = response.get_json()
    assert response.status_code == 422 and not report["committed"]
    assert report["error_count"] == 500 and report["errors_omitted"] == 490
    assert [e["index"] for e in report["errors"]] == list(range(10))
    assert report["resources"]["application"]["errors"] == 500
    assert report["would_create"] == 1 and report["created"] == 0
    assert counts()["application"] == 0


def test_a_large_body_of_bad_rows_gets_a_small_reply(client):
    rows = [{"name": f"bad:{i}", "defaults": {"pad": "x" * 40}} for i in range(6000)]
    rows += [{"name": "y" * 20_000 + f":{i}"} for i in range(50)]
    body = lines(rows)
    assert len(body) > 1_300_000
    response = raw_post(client, "/api/applications/bulk", body, NDJSON)
    report = response.get_json()
    assert report["error_count"] == 6050 and len(report["errors"]) == 1000
    assert report["errors_omitted"] == 5050
    assert len(response.get_data()) < 400_000, len(response.get_data())


def test_long_values_are_clipped_in_bulk_errors(client):
    rows = [{"name": "y" * 20_000 + ":x"}]
    report = raw_post(client, "/api/applications/bulk", lines(rows), NDJSON).get_json()
    error = report["errors"][0]
    assert error["field"] == "name" and len(error["value"]) <= 201 and len(error["detail"]) < 300


@pytest.mark.parametrize("resource", [{"a": 1}, ["application"], 7, None])
def test_a_bulk_row_whose_resource_is_not_a_name_is_a_bad_row(client, resource):
    rows = [{"resource": resource, "name": "x"}, {"resource": "application", "name": "ok"}]
    for text, headers in ((json.dumps(rows), JSON), (lines(rows), NDJSON)):
        response = raw_post(client, "/api/bulk", text, headers)
        report = response.get_json()
        assert response.status_code == 422, report
        assert [(e["index"], e["field"]) for e in report["errors"]] == [(0, "resource")]
        assert "application" in report["errors"][0]["detail"]
    assert counts()["application"] == 0


def test_a_row_the_database_refuses_is_reported_in_our_words():
    driver_text = 'duplicate key value violates unique constraint "application_pkey"'
    error = database_error(IntegrityError("INSERT INTO application ...", {"id": "x"},
                                          Exception(driver_text)))
    assert error.kind == "conflict"
    assert "violates" not in error.detail and "INSERT" not in error.detail


# --- configuration ----------------------------------------------------------------------------

def test_limits_are_configured_by_key_and_checked():
    limits = Limits()
    limits.configure({"MAX_BODY_BYTES": "4096", "WALK_MAX_NODES": 7})
    assert (limits.max_body_bytes, limits.walk_max_nodes) == (4096, 7)
    assert limits.json_max_depth == DEFAULTS["JSON_MAX_DEPTH"]
    with pytest.raises(ValueError, match="MAX_BODY_BYTES"):
        limits.configure({"MAX_BODY_BYTES": "lots"})
    with pytest.raises(ValueError, match="at least 1"):
        limits.configure({"BULK_MAX_REPORTED_ERRORS": 0})
