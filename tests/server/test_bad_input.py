"""Bad input anywhere is a 4xx in the one error shape naming the field — never a 500,
never database text, nothing written: NUL and lone surrogates, control characters,
NaN, wrong content types, bad filters, windows beyond bigint, ``defaults: null``."""
import json

import pytest

from .helpers import build_world, counts, patch, post

JSON = {"Content-Type": "application/json"}
NDJSON = {"Content-Type": "application/x-ndjson"}
DB_WORDS = ("psycopg2", "SQL", "sqlite3", "INSERT", "SELECT", "violates", "syntax")


def refusal(response, status, field):
    """The one error shape (inside ``errors`` on JSON:API) with ``status`` naming ``field``."""
    body = response.get_json()
    assert response.status_code == status, (response.status_code, body)
    error = body["errors"][0] if "errors" in body else body
    assert int(error["status"]) == status and error["title"], error
    assert error["source"] and error["source"]["field"] == field, error
    assert not any(word in error["detail"] for word in DB_WORDS), error
    return error


def raw_post(client, path, text, headers=JSON):
    return client.post(path, data=text, headers=headers)


def jsonapi_create(client, resource, attributes):
    body = {"data": {"type": resource, "attributes": attributes}}
    return client.post(f"/api/rest/v1/{resource}", data=json.dumps(body), headers=JSON)


# --- NUL and lone surrogates: refused before any database sees them -----------------

@pytest.mark.parametrize("path", [
    "/api/services/a%00b", "/api/services/a%00b/defaults", "/api/services/a%00b/trace",
    "/api/rest/v1/service/a%00b", "/api/services?name=a%00b", "/api/services?x%00=1",
    "/api/rest/v1/service?filter[objects]=" + json.dumps([{"name": "id", "op": "eq",
                                                            "val": "a\x00"}]),
    "/api/services?filter=" + json.dumps([{"name": "id", "op": "eq", "val": "a\x00"}]),
])
def test_nul_in_a_url_is_400(client, path):
    response = client.get(path)
    assert response.status_code == 400, response.get_json()
    assert "NUL" in json.dumps(response.get_json())


@pytest.mark.parametrize("text, field", [
    ('{"name": "a\\u0000b"}', "name"), ('{"name": "a\\ud800b"}', "name"),
    ('{"name": "ok", "defaults": {"k": "v\\u0000"}}', "defaults"),
    ('{"name": "ok", "defaults": {"k\\u0000": 1}}', "defaults"),
    ('{"name": "ok", "defaults": {"k": ["\\udc00"]}}', "defaults"),
])
def test_nul_and_lone_surrogates_in_a_body_are_400_on_both_faces(client, text, field):
    refusal(raw_post(client, "/api/applications", text), 400, field)
    body = '{"data": {"type": "application", "attributes": ' + text + "}}"
    refusal(raw_post(client, "/api/rest/v1/application", body), 400, field)
    assert counts()["application"] == 0


def test_nul_in_a_link_and_in_bulk_rows_is_refused(client):
    build_world(client)
    before = counts()
    link = "/api/deployment_targets/prod:aws:123456789012:us-east-1:us-east-1a:eks:main-cluster"
    refusal(raw_post(client, link + "/fleets", '{"id": "x\\u0000"}'), 400, "id")
    assert client.delete(link + "/fleets?id=x%00").status_code == 400
    lines = '{"name": "good"}\n{"name": "a\\u0000"}\n{"name": "b\\ud800"}\n'
    response = raw_post(client, "/api/applications/bulk", lines, NDJSON)
    report = response.get_json()
    assert response.status_code == 422 and report["error_count"] == 2
    assert [(e["index"], e["field"]) for e in report["errors"]] == [(1, "name"), (2, "name")]
    refusal(raw_post(client, "/api/bulk", '[{"resource": "application", "name": "\\u0000"}]'),
            400, "name")
    assert counts() == before


# --- names and text fields ----------------------------------------------------------

@pytest.mark.parametrize("name", ["a\nb", "a\rb", "a\x01b", "tab\there", "del\x7f", "c1\x85"])
def test_control_characters_in_a_name_are_400_on_every_path(client, name):
    refusal(post(client, "application", {"name": name}), 400, "name")
    refusal(jsonapi_create(client, "application", {"name": name}), 400, "name")
    response = raw_post(client, "/api/applications/bulk", json.dumps([{"name": name}]))
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["field"] == "name"
    assert counts()["application"] == 0


def test_one_line_text_fields_refuse_control_characters_documents_keep_line_breaks(client):
    build_world(client)
    refusal(post(client, "repo", {"repo_type_id": "git", "name": "r", "url": "https://x\n"}),
            400, "url")
    refusal(patch(client, "deployment_target",
                  "prod:aws:123456789012:us-east-1:us-east-1a:eks:main-cluster",
                  {"native_id": "arn\r\nx"}), 400, "native_id")
    multi = post(client, "config_template", {"name": "t", "language_id": "json",
                                             "doc": "line 1\n\tline 2\r\n"})
    assert multi.status_code == 201 and multi.get_json()["doc"] == "line 1\n\tline 2\r\n"
    refusal(post(client, "config_template", {"name": "u", "language_id": "json",
                                             "doc": "bell\x07"}), 400, "doc")


def test_a_jsonapi_create_with_a_newline_in_the_name_commits_nothing(client):
    refusal(jsonapi_create(client, "application", {"name": "two\nlines"}), 400, "name")
    assert counts()["application"] == 0
    assert jsonapi_create(client, "application", {"name": "two lines"}).status_code == 201


# --- numbers ---------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    '{"name": "a", "defaults": {"x": NaN}}', '{"name": "a", "defaults": {"x": Infinity}}',
    '{"name": "a", "defaults": {"x": [1, -Infinity]}}', '{"name": "a", "defaults": {"x": 1e400}}',
])
def test_nan_and_infinity_are_refused_naming_the_field(client, text):
    error = refusal(raw_post(client, "/api/applications", text), 400, "defaults")
    assert "finite" in error["detail"]
    body = '{"data": {"type": "application", "attributes": ' + text + "}}"
    refusal(raw_post(client, "/api/rest/v1/application", body), 400, "defaults")
    assert counts()["application"] == 0


@pytest.mark.parametrize("value", ["NaN", "inf", "-Infinity", "1e999", 10 ** 400, "abc", [1]])
def test_number_columns_take_finite_numbers_only(client, value):
    build_world(client)
    before = counts()
    fleet = "prod:aws:123456789012:us-east-1:us-east-1a:nodegroup:workers"
    refusal(post(client, "capacity", {"fleet_id": fleet, "allocation_type_id": "cpu",
                                      "value": value}), 400, "value")
    assert counts() == before


# --- defaults ----------------------------------------------------------------------------

def test_defaults_null_is_refused_on_every_path_and_absent_defaults_are_empty(client):
    refusal(post(client, "application", {"name": "a", "defaults": None}), 400, "defaults")
    refusal(jsonapi_create(client, "application", {"name": "a", "defaults": None}), 400,
            "defaults")
    bulk = raw_post(client, "/api/applications/bulk", '[{"name": "a", "defaults": null}]')
    assert bulk.status_code == 422 and bulk.get_json()["errors"][0]["field"] == "defaults"
    assert counts()["application"] == 0
    created = post(client, "application", {"name": "a"}).get_json()
    assert created["defaults"] == {}
    refusal(patch(client, "application", "a", {"defaults": None}), 400, "defaults")
    jsonapi_patch = client.patch("/api/rest/v1/application/a", headers=JSON, data=json.dumps(
        {"data": {"type": "application", "id": "a", "attributes": {"defaults": None}}}))
    refusal(jsonapi_patch, 400, "defaults")
    assert patch(client, "application", "a", {"defaults": {}}).get_json()["defaults"] == {}


# --- content types ------------------------------------------------------------------------

@pytest.mark.parametrize("content_type", ["text/plain", "multipart/form-data; boundary=x",
                                          "application/xml"])
def test_a_write_that_does_not_say_json_is_415(client, content_type):
    body = json.dumps({"name": "a"})
    error = refusal(client.post("/api/applications", data=body,
                                headers={"Content-Type": content_type}), 415, "Content-Type")
    assert "application/json" in error["detail"]
    refusal(client.post("/api/bulk", data=json.dumps([{"resource": "application", "name": "a"}]),
                        headers={"Content-Type": content_type}), 415, "Content-Type")
    jsonapi = json.dumps({"data": {"type": "application", "attributes": {"name": "a"}}})
    refusal(client.post("/api/rest/v1/application", data=jsonapi,
                        headers={"Content-Type": content_type}), 415, "Content-Type")
    assert counts()["application"] == 0


def test_curl_form_type_is_read_as_json_only_without_a_cookie(client):
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    assert client.post("/api/applications", data='{"name": "curl"}', headers=form
                       ).status_code == 201
    assert client.patch("/api/applications/curl", data='{"defaults": {"tier": 1}}',
                        content_type="").status_code == 200
    client.set_cookie("session", "abc")  # what a browser sends along from another site
    refusal(client.post("/api/applications", data='{"name": "site"}', headers=form),
            415, "Content-Type")
    refusal(client.patch("/api/applications/curl", data='{"defaults": {}}', content_type=""),
            415, "Content-Type")
    assert client.post("/api/applications", data='{"name": "json"}',
                       headers=JSON).status_code == 201
    assert client.get("/api/applications/curl").get_json()["defaults"] == {"tier": 1}
    assert counts()["application"] == 2


def test_curl_form_type_works_on_the_jsonapi_face_too(client):
    body = json.dumps({"data": {"type": "application", "attributes": {"name": "curl"}}})
    created = client.post("/api/rest/v1/application", data=body,
                          headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert created.status_code == 201, created.get_json()
    client.set_cookie("session", "abc")
    refusal(client.post("/api/rest/v1/application", data=body.replace("curl", "site"),
                        headers={"Content-Type": "application/x-www-form-urlencoded"}),
            415, "Content-Type")
    refusal(client.post("/api/rest/v1/application", data=body.replace("curl", "site"),
                        content_type=""), 415, "Content-Type")
    assert counts()["application"] == 1


def test_json_lines_only_go_to_the_streaming_endpoints(client):
    refusal(client.post("/api/applications", data='{"name": "a"}\n', headers=NDJSON),
            415, "Content-Type")
    assert client.post("/api/applications/bulk", data='{"name": "a"}\n',
                       headers=NDJSON).status_code == 200


# --- filters -------------------------------------------------------------------------------

BAD_FILTERS = [
    ([{"name": "name", "op": "equals", "val": "x"}], "did you mean 'eq'"),
    ([{"name": "name", "op": "zzz", "val": "x"}], "the operators are eq, ne"),
    ([{"name": "name", "val": "x"}], "no op"),
    ([{"name": "name", "op": "eq"}], "has no val"),
    ([{"name": "name", "op": "eq", "val": None}], "has no val"),
    ([{"name": "name", "op": "eq", "val": 5.5}], "name is text"),
    ([{"name": "name", "op": "gt", "val": 5}], "name is text"),
    ([{"name": "name", "op": "eq", "val": ["a"]}], "takes one value"),
    ([{"name": "name", "op": "eq", "val": {"a": 1}}], "takes one value"),
    ([{"name": "name", "op": "in", "val": "a"}], "takes a JSON list"),
    ([{"name": "name", "op": "in", "val": [{"a": 1}]}], "takes one value"),
    ([{"name": "created_at", "op": "gt", "val": "yesterday"}], "ISO 8601"),
    ([{"name": "defaults", "op": "like", "val": "%"}], "not plain text"),
    ([{"name": "defaults", "op": "eq", "val": "x"}], "is a JSON object"),
    ([{"name": "defaults", "op": "eq", "val": 5}], "is a JSON object"),
    ([{"name": "defaults", "op": "ne", "val": [1]}], "is a JSON object"),
    ([{"or": "x"}], "non-empty list"),
    ([{"or": []}], "non-empty list"),
    ([{"or": [{"name": "name", "op": "eq", "val": "a"}], "name": "x"}], "holds only"),
    (["x"], "a filter is an object"),
    ([7], "a filter is an object"),
    ([{"name": "nope", "op": "eq", "val": 1}], "'nope' is not a field"),
    ([{"name": "validate", "op": "eq", "val": 1}], "'validate' is not a field"),
    ([{"name": "stack.nope", "op": "eq", "val": "x"}], "'nope' is not a field of stack"),
    ([{"name": "stack", "op": "eq", "val": "x"}], "is a relation"),
    ([{"name": "stack", "op": "any", "val": {"name": "id", "op": "eq", "val": "x"}}],
     "use has"),
    ([{"name": "name", "op": "eq", "val": "a", "extra": 1}], "unknown key 'extra'"),
    ({"filters": "x"}, "must be a list"),
    ([{"name": "name", "op": "like", "val": "abc\\"}], "lone backslash"),
    ([{"name": "name", "op": "in", "val": ["x"] * 1001}], "more than 1,000"),
    ("[" * 100000, "nested deeper"),
]


@pytest.mark.parametrize("filters, says", BAD_FILTERS)
def test_a_bad_filter_is_400_naming_it_on_both_faces(client, filters, says):
    text = filters if isinstance(filters, str) else json.dumps(filters)
    error = refusal(client.get("/api/services", query_string={"filter": text}), 400, "filter")
    assert says in error["detail"] and "Unable to construct" not in error["detail"], error
    error = refusal(client.get("/api/rest/v1/service", query_string={"filter[objects]": text}),
                    400, "filter[objects]")
    assert says in error["detail"], error


@pytest.mark.parametrize("query, field", [
    ("cidr=notacidr", "cidr"), ("cidr=10.0.0.1/16", "cidr"), ("created_at=soon", "created_at"),
    ("nope=1", "nope"), ("defaults=x", "defaults"), ("defaults=2024-01-01", "defaults"),
])
def test_a_bad_field_value_pair_is_400_naming_the_field(client, query, field):
    refusal(client.get("/api/networks?" + query), 400, field)


def test_good_filters_still_answer(client):
    build_world(client)
    for filters, expected in [
        ([{"name": "cidr", "op": "eq", "val": "10.0.0.0/16"}], 1),
        ([{"name": "cidr", "op": "in", "val": ["10.0.0.0/16", "10.9.0.0/16"]}], 1),
        ([{"name": "name", "op": "==", "val": "main-vpc"}], 1),
        ([{"name": "created_at", "op": "gt", "val": "2000-01-01T00:00:00+00:00"}], 1),
        ([{"name": "native_id", "op": "is_null"}], 1),
        ([{"name": "defaults", "op": "eq", "val": {}}], 1),
        ([{"or": [{"name": "name", "op": "like", "val": "main%"},
                  {"name": "name", "op": "eq", "val": "x"}]}], 1),
        ([{"name": "partition.region.provider.environment_id", "op": "eq", "val": "prod"}], 1),
        ([{"name": "subnets", "op": "any", "val": {"name": "name", "op": "eq", "val": "eks0"}}],
         1),
    ]:
        for path, key in (("/api/networks", "filter"), ("/api/rest/v1/network", "filter[objects]")):
            response = client.get(path, query_string={key: json.dumps(filters)})
            assert response.status_code == 200, (filters, response.get_json())
            body = response.get_json()
            found = body["count"] if "count" in body else len(body["data"])
            assert found == expected, (path, filters)
    assert client.get("/api/networks?cidr=10.0.0.0/16").get_json()["count"] == 1
    escaped = [{"name": "name", "op": "like", "val": "main\\\\%"}]
    assert client.get("/api/networks", query_string={"filter": json.dumps(escaped)}
                      ).status_code == 200
    edge = [{"name": "id", "op": "like", "val": "\ud7ff%"}]   # the next code point is U+E000
    assert client.get("/api/services", query_string={"filter": json.dumps(edge)}
                      ).get_json()["count"] == 0
    assert client.get("/api/builds?build_num=42").get_json()["count"] == 1


# --- windows and depths ---------------------------------------------------------------------

@pytest.mark.parametrize("query, field", [
    ("offset=9223372036854775808", "offset"), ("offset=-1", "offset"),
    ("offset=99999999999999999999999999", "offset"), ("offset=1.5", "offset"),
    ("offset=%C2%B2", "offset"), ("limit=0", "limit"), ("limit=1001", "limit"),
    ("limit=abc", "limit"),
])
def test_a_window_beyond_bounds_is_400(client, query, field):
    refusal(client.get("/api/services?" + query), 400, field)


def test_the_largest_offset_answers_an_empty_page(client):
    response = client.get("/api/services?offset=9223372036854775807")
    assert response.status_code == 200 and response.get_json()["results"] == []


@pytest.mark.parametrize("depth", ["0", "-1", "abc", "%C2%B2", "9" * 30])
def test_a_bad_impact_depth_is_400(client, depth):
    build_world(client)
    refusal(client.get(f"/api/environments/prod/impact?depth={depth}"), 400, "depth")
